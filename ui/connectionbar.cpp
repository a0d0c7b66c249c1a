#include "connectionbar.h"

#include "appearance.h"
#include "elidedlabel.h"

#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

ConnectionBar::ConnectionBar(QWidget *parent)
    : QFrame(parent)
    , m_profileChoice(new QComboBox(this))
    , m_status(new ElidedLabel(Qt::ElideRight, this))
    , m_readOnlyBadge(new QLabel(tr("<b>READ-ONLY</b>"), this))
    , m_retry(new QPushButton(tr("Retry Now"), this))
    , m_settings(new QPushButton(tr("Connection Settings…"), this))
{
    setObjectName(u"connectionBar"_s);
    setAutoFillBackground(true);
    m_profileChoice->setObjectName(u"profileChoice"_s);
    m_profileChoice->setAccessibleName(tr("Connection"));
    m_profileChoice->setAccessibleDescription(tr("The saved connection to use; Connect connects to it"));
    m_profileChoice->setMinimumContentsLength(18);
    auto *connectButton = new QPushButton(tr("Connect"), this);
    connectButton->setObjectName(u"connectButton"_s);
    connectButton->setAccessibleDescription(tr("Connects to the chosen connection"));
    connect(connectButton, &QPushButton::clicked, this, &ConnectionBar::connectRequested);
    m_retry->setObjectName(u"retryNow"_s);
    m_retry->setToolTip(tr("Try to connect again without waiting"));
    m_retry->hide();
    connect(m_retry, &QPushButton::clicked, this, &ConnectionBar::retryRequested);
    m_settings->setObjectName(u"connectionSettings"_s);
    m_settings->setToolTip(tr("Change this connection's settings (Connection › Manage Connections)"));
    m_settings->hide();
    connect(m_settings, &QPushButton::clicked, this, &ConnectionBar::settingsRequested);
    m_status->setObjectName(u"connectionStatus"_s);
    m_readOnlyBadge->setObjectName(u"readOnlyBadge"_s);
    m_readOnlyBadge->setToolTip(tr("This connection is read-only: every write is disabled."));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->addWidget(new QLabel(tr("Connection:"), this));
    layout->addWidget(m_profileChoice);
    layout->addWidget(connectButton);
    layout->addWidget(m_status, 1);
    layout->addWidget(m_retry);
    layout->addWidget(m_settings);
    layout->addWidget(m_readOnlyBadge);
    Appearance::followPalette(this, [this] { applyColor(); });
}

void ConnectionBar::setState(const QString &status, bool readOnly, const QColor &color)
{
    m_readOnlyBadge->setVisible(readOnly);
    m_status->setText(status);
    m_color = color;
    applyColor();
}

// The whole application palette, the state's colour on top: taken again when the palette changes.
void ConnectionBar::applyColor()
{
    QPalette palette = QApplication::palette();
    if (m_color.isValid()) {
        palette.setColor(QPalette::Window, m_color);
        palette.setColor(QPalette::WindowText, m_color.lightness() < 140 ? Qt::white : Qt::black);
    }
    setPalette(palette);
}

void ConnectionBar::setRetryOffered(bool offered)
{
    m_retry->setVisible(offered);
}

void ConnectionBar::setRetryAsksFor(const QString &secretLabel)
{
    if (secretLabel.isEmpty()) {
        m_retry->setText(tr("Retry Now"));
        m_retry->setToolTip(tr("Try to connect again without waiting"));
    } else {
        m_retry->setText(tr("Retry Now…"));
        m_retry->setToolTip(tr("The server refused the %1 given: asks for the %1 again and connects with it")
                                .arg(secretLabel.toLower()));
    }
}

void ConnectionBar::setSettingsOffered(bool offered)
{
    m_settings->setVisible(offered);
}
