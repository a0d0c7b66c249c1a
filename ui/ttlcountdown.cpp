#include "ttlcountdown.h"

#include "expirytext.h"
#include "kvunits.h"

#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

TtlCountdown::TtlCountdown(QWidget *parent)
    : QLabel(parent)
    , m_timer(new QTimer(this))
{
    setObjectName(u"ttlCountdown"_s);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &TtlCountdown::tick);
    hide();
}

void TtlCountdown::setEntry(const KvEntry &entry)
{
    m_entry = entry;
    if (entry.ttlNs == 0 || entry.isDeleted()) {
        clear();
        return;
    }
    setToolTip(entry.ttlNs > 0
                   ? tr("This key was created with a TTL of %1: the server removes it then. Saving a new value "
                        "writes a revision without a TTL (a put takes none, as in every official client).")
                         .arg(KvUnits::goDuration(entry.ttlNs))
                   : tr("This key was created with the TTL \"never\": not even the bucket's maximum age removes it."));
    tick();
    show();
    m_timer->start();
}

void TtlCountdown::clear()
{
    m_timer->stop();
    m_entry = {};
    QLabel::clear();
    hide();
}

void TtlCountdown::tick()
{
    setText(ExpiryText::describe(m_entry));
    if (m_entry.expires().isValid() && QDateTime::currentDateTimeUtc() >= m_entry.expires())
        m_timer->stop(); // "expired at ...": the marker (or the key's absence) follows from the server
}
