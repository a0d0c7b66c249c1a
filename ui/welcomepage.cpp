#include "welcomepage.h"

#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"welcomePage"_s);
    auto *text = new QLabel(tr("<h2>Welcome to kvdesk</h2><p>No connection yet. Start a NATS server of your own on "
                               "this computer (JetStream enabled, data kept in your profile), or connect to one.</p>"),
                            this);
    text->setWordWrap(true);
    auto *local = new QPushButton(tr("Start a &Local NATS Server"), this);
    local->setObjectName(u"welcomeLocal"_s);
    auto *add = new QPushButton(tr("&Add a Connection…"), this);
    auto *import = new QPushButton(tr("&Import natscli Contexts"), this);
    connect(local, &QPushButton::clicked, this, &WelcomePage::localServerRequested);
    connect(add, &QPushButton::clicked, this, &WelcomePage::addConnectionRequested);
    connect(import, &QPushButton::clicked, this, &WelcomePage::importRequested);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(text);
    layout->addWidget(local);
    layout->addWidget(add);
    layout->addWidget(import);
    layout->addStretch(2);
    layout->setContentsMargins(80, 20, 80, 20);
}
