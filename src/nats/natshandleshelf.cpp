#include "natshandleshelf.h"

#include <QtCore/QChildEvent>
#include <QtCore/QObject>

namespace {

// One shelf: once full ("retired") it goes away with its last handle.
class Shelf final : public QObject
{
public:
    explicit Shelf(QObject *owner)
        : QObject(owner)
    {
    }

    void retire()
    {
        m_retired = true;
        deleteIfDone();
    }

protected:
    void childEvent(QChildEvent *event) override
    {
        if (event->type() == QEvent::ChildRemoved)
            deleteIfDone();
    }

private:
    void deleteIfDone()
    {
        if (m_retired && !m_deleting && children().isEmpty()) {
            m_deleting = true;
            deleteLater();
        }
    }

    bool m_retired = false;
    bool m_deleting = false;
};

} // namespace

NatsHandleShelf::NatsHandleShelf(QObject *owner)
    : m_owner(owner)
{
}

QObject *NatsHandleShelf::next()
{
    if (!m_current || m_used >= Capacity) {
        if (m_current)
            static_cast<Shelf *>(m_current.data())->retire();
        m_current = new Shelf(m_owner);
        m_used = 0;
    }
    ++m_used;
    return m_current;
}
