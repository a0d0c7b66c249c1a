#include "welcomepage.h"

#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"welcomePage"_s);
    m_text = new QLabel(this);
    m_text->setObjectName(u"welcomeText"_s);
    m_text->setWordWrap(true);
    setConnecting({});
    auto *local = new QPushButton(tr("Start a &Local NATS Server"), this);
    local->setObjectName(u"welcomeLocal"_s);
    auto *add = new QPushButton(tr("&Add a Connection…"), this);
    auto *import = new QPushButton(tr("&Import natscli Contexts"), this);
    import->setObjectName(u"welcomeImport"_s);
    local->setAccessibleDescription(tr("Runs nats-server with JetStream on this computer and connects to it"));
    add->setAccessibleDescription(tr("Opens a form for a server's address and credentials"));
    import->setAccessibleDescription(tr("Adds the connections saved by the nats command-line tool"));
    connect(local, &QPushButton::clicked, this, &WelcomePage::localServerRequested);
    connect(add, &QPushButton::clicked, this, &WelcomePage::addConnectionRequested);
    connect(import, &QPushButton::clicked, this, &WelcomePage::importRequested);
    // A column of about 60 characters in the middle: buttons as wide as the text, not the window.
    auto *column = new QWidget(this);
    column->setMaximumWidth(fontMetrics().averageCharWidth() * 60);
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->addWidget(m_text);
    for (QPushButton *button : {local, add, import})
        columnLayout->addWidget(button);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 3);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);
    layout->setContentsMargins(20, 20, 20, 20);
}

void WelcomePage::setConnecting(const QString &name)
{
    if (name.isEmpty()) {
        m_text->setText(tr("<h2>Welcome to kvdesk</h2><p>No connection yet. Start a NATS server of your own on "
                           "this computer (JetStream enabled, data kept in your profile), or connect to one.</p>"));
        return;
    }
    m_text->setText(tr("<h2>Connecting to %1…</h2><p>kvdesk keeps trying; the bar above says how it goes, and the "
                       "buckets show here once the server answers. Meanwhile you can start a NATS server of your "
                       "own on this computer, or connect to another one.</p>")
                        .arg(name.toHtmlEscaped()));
}

void WelcomePage::setStopped(const QString &name)
{
    m_text->setText(tr("<h2>Could not connect to %1</h2><p>Trying again would fail the same way: the bar above says "
                       "why. Change the connection's settings (or have the server's changed), then Retry Now. "
                       "Meanwhile you can start a NATS server of your own on this computer, or connect to another "
                       "one.</p>")
                        .arg(name.toHtmlEscaped()));
}
