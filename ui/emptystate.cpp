#include "emptystate.h"

#include <QtCore/QAbstractItemModel>
#include <QtCore/QEvent>
#include <QtGui/QAction>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

EmptyState::EmptyState(QAbstractItemView *view, const QString &text, QAction *action, const QString &buttonText,
                       std::function<bool()> shown)
    : QWidget(view->viewport())
    , m_view(view)
    , m_action(action)
    , m_text(new QLabel(text, this))
    , m_button(new QPushButton(buttonText, this))
    , m_shown(std::move(shown))
{
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(m_text);
    layout->addWidget(m_button, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    if (action) {
        connect(m_button, &QPushButton::clicked, action, &QAction::trigger);
        connect(action, &QAction::changed, this, &EmptyState::refresh);
    } else {
        m_button->hide();
    }
    view->viewport()->installEventFilter(this);
    QAbstractItemModel *model = view->model();
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &EmptyState::refresh);
    connect(model, &QAbstractItemModel::modelReset, this, &EmptyState::refresh);
    connect(model, &QAbstractItemModel::layoutChanged, this, &EmptyState::refresh);
    refresh();
}

void EmptyState::setTextSource(std::function<QString()> text)
{
    m_textSource = std::move(text);
    refresh();
}

void EmptyState::refresh()
{
    const bool shown = m_shown();
    if (shown && m_textSource)
        m_text->setText(m_textSource());
    if (m_action) {
        m_button->setEnabled(m_action->isEnabled());
        m_button->setIcon(m_action->icon());
        m_button->setToolTip(m_action->toolTip());
    }
    setGeometry(m_view->viewport()->rect());
    setVisible(shown);
}

// Follows the list's size, so the text and button stay centred.
bool EmptyState::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        setGeometry(m_view->viewport()->rect());
    return false;
}
