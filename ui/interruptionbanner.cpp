#include "interruptionbanner.h"

#include <QtCore/QEvent>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>

using namespace Qt::StringLiterals;

InterruptionBanner::InterruptionBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(u"interruptionBanner"_s);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(u"interruptionBannerText"_s);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->addWidget(m_text, 1);
    applyColors();
    hide();
}

void InterruptionBanner::setReason(const QString &reason, const QString &meaning)
{
    m_reason = reason;
    m_text->setText(reason.isEmpty() ? QString()
                                     : tr("<b>%1</b> %2").arg(reason.toHtmlEscaped(), meaning.toHtmlEscaped()));
    m_text->setAccessibleName(reason.isEmpty() ? QString() : tr("%1 %2").arg(reason, meaning));
    setVisible(!reason.isEmpty());
}

void InterruptionBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // The desktop switched between light and dark: pick the matching shades (setting them is a palette
    // change too, hence the guard).
    if (event->type() == QEvent::PaletteChange && !m_applyingColors)
        applyColors();
}

void InterruptionBanner::applyColors()
{
    m_applyingColors = true;
    QPalette colors = palette();
    const bool dark = parentWidget() ? parentWidget()->palette().color(QPalette::Window).lightness() < 128
                                     : colors.color(QPalette::Window).lightness() < 128;
    // Orange, apart from the conflict banner's yellow: the connection, not the key, is the matter.
    colors.setColor(QPalette::Window, dark ? QColor(0x5a, 0x36, 0x12) : QColor(0xff, 0xe0, 0xb2));
    colors.setColor(QPalette::WindowText, dark ? QColor(0xff, 0xe0, 0xb2) : QColor(0x4e, 0x2a, 0x00));
    setPalette(colors);
    m_applyingColors = false;
}
