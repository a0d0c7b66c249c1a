#include "appearance.h"

#include "actionicons.h"

#include <QtCore/QSettings>
#include <QtGui/QActionGroup>
#include <QtGui/QPainter>
#include <QtGui/QPalette>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QApplication>
#include <QtWidgets/QMenu>
#include <QtWidgets/QProxyStyle>
#include <QtWidgets/QStyle>
#include <QtWidgets/QStyleFactory>
#include <QtWidgets/QStyleOption>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

const QString kThemeKey = u"view/theme"_s;

// What the platform gave before the app changed anything: "System" goes back to it.
struct SystemLook
{
    QString style;
    QPalette palette;
};

const SystemLook &systemLook()
{
    static const SystemLook look{QApplication::style()->name(), QApplication::palette()};
    return look;
}

// Calls a function again whenever the application palette changes. The application is told of a new
// palette (QEvent::ApplicationPaletteChange) in any case; a widget with a palette of its own is not always.
class PaletteFollower final : public QObject
{
public:
    PaletteFollower(QObject *owner, std::function<void()> follow)
        : QObject(owner)
        , m_follow(std::move(follow))
    {
        QCoreApplication::instance()->installEventFilter(this);
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        // Queued: the widgets take the new application palette after this event.
        if (watched == QCoreApplication::instance() && event->type() == QEvent::ApplicationPaletteChange)
            QMetaObject::invokeMethod(this, m_follow, Qt::QueuedConnection);
        return false;
    }

private:
    std::function<void()> m_follow;
};

// Fusion draws the edge of a check box or radio button in the window colour darkened: 1.2:1 on the dark
// window (an unchecked box was a square hardly darker than the dialog, try-out 4) and 1.7:1 on the light
// one. The edge is drawn again, over Fusion's, in a colour between the window and its text that stands
// out as a control's edge should (3:1); a keyboard focus keeps Fusion's highlighted edge.
class IndicatorEdgeStyle final : public QProxyStyle
{
public:
    IndicatorEdgeStyle()
        : QProxyStyle(u"Fusion"_s)
    {
    }

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        if (element != PE_IndicatorCheckBox && element != PE_IndicatorRadioButton)
            return;
        if (option->state.testFlag(State_HasFocus) && option->state.testFlag(State_KeyboardFocusChange))
            return;
        const QColor window = option->palette.color(QPalette::Window);
        const QColor text = option->palette.color(QPalette::WindowText);
        const auto blend = [](int from, int to) { return from + (to - from) * 45 / 100; };
        const QColor edge(blend(window.red(), text.red()), blend(window.green(), text.green()),
                          blend(window.blue(), text.blue()));
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, true);
        painter->setPen(edge);
        painter->setBrush(Qt::NoBrush);
        // Where Fusion draws its own edge (qfusionstyle.cpp), so that it is covered, not doubled.
        if (element == PE_IndicatorCheckBox) {
            painter->translate(0.5, 0.5);
            painter->drawRect(option->rect.adjusted(0, 0, -1, -1));
        } else {
            const QRect rect = option->rect;
            const qreal radius = (rect.width() + (rect.width() + 1) % 2) / 2.0 - 1;
            painter->drawEllipse(QPointF(rect.center() + QPoint(1, 1)), radius, radius);
        }
        painter->restore();
    }
};

double luminance(const QColor &color)
{
    const auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

} // namespace

namespace Appearance {

Theme savedTheme()
{
    const QString name = QSettings().value(kThemeKey).toString();
    if (name == u"light"_s)
        return Theme::Light;
    if (name == u"dark"_s)
        return Theme::Dark;
    return Theme::System;
}

void apply(Theme theme)
{
    const SystemLook &system = systemLook();
    if (theme == Theme::System) {
        QApplication::setStyle(system.style);
        QApplication::setPalette(system.palette);
    } else {
        QApplication::setStyle(new IndicatorEdgeStyle); // Fusion, with check boxes that show their edge
        QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
    }
    const char *names[] = {"system", "light", "dark"};
    QSettings().setValue(kThemeKey, QString::fromLatin1(names[int(theme)]));
}

QPalette lightPalette()
{
    QStyle *fusion = QStyleFactory::create(u"Fusion"_s);
    const QPalette palette = fusion->standardPalette();
    delete fusion;
    return palette;
}

// Fusion's roles in dark shades; disabled text dimmed, links and selection a blue that reads on both.
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x35, 0x35, 0x35), base(0x2a, 0x2a, 0x2a), text(0xe8, 0xe8, 0xe8);
    const QColor accent(0x2a, 0x82, 0xda), dim(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    p.setColor(QPalette::ToolTipBase, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x50, 0x50, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x44, 0x44, 0x44));
    p.setColor(QPalette::Mid, QColor(0x28, 0x28, 0x28));
    p.setColor(QPalette::Dark, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x10));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xff));
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, dim);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x50, 0x50));
    return p;
}

QMenu *createThemeMenu(QWidget *parent)
{
    auto *menu = new QMenu(QApplication::translate("Appearance", "Th&eme"), parent);
    menu->setIcon(ActionIcons::icon(u"preferences-desktop-theme"_s));
    auto *group = new QActionGroup(menu);
    const struct
    {
        QString text;
        QString icon;
        Theme theme;
    } choices[] = {
        {QApplication::translate("Appearance", "&System"), u"preferences-desktop-theme"_s, Theme::System},
        {QApplication::translate("Appearance", "&Light"), u"weather-clear"_s, Theme::Light},
        {QApplication::translate("Appearance", "&Dark"), u"weather-clear-night"_s, Theme::Dark},
    };
    const Theme current = savedTheme();
    for (const auto &choice : choices) {
        QAction *action = menu->addAction(ActionIcons::icon(choice.icon), choice.text);
        action->setCheckable(true);
        action->setChecked(choice.theme == current);
        action->setObjectName(u"theme"_s + QString::number(int(choice.theme)));
        group->addAction(action);
        const Theme theme = choice.theme;
        QObject::connect(action, &QAction::triggered, menu, [theme] { apply(theme); });
    }
    return menu;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor pick(const QPalette &palette, const QColor &light, const QColor &dark)
{
    return isDark(palette) ? dark : light;
}

void tintBackground(QWidget *widget, const QColor &light, const QColor &dark)
{
    widget->setAutoFillBackground(true);
    const auto retint = [widget, light, dark] {
        QPalette palette = widget->palette();
        palette.setColor(QPalette::Window, pick(QApplication::palette(), light, dark));
        palette.setColor(QPalette::WindowText, QApplication::palette().color(QPalette::WindowText));
        widget->setPalette(palette);
    };
    retint();
    followPalette(widget, retint);
}

void followPalette(QObject *owner, const std::function<void()> &follow)
{
    new PaletteFollower(owner, follow);
}

void showCheckedState(QAbstractButton *button)
{
    const auto tint = [button] {
        QPalette palette = QApplication::palette();
        if (button->isChecked()) {
            const QColor off = palette.color(QPalette::Button);
            const QColor accent = palette.color(QPalette::Highlight);
            const auto mix = [](int a, int b) { return (a * 7 + b * 13) / 20; }; // 65 % of the accent
            palette.setColor(
                QPalette::Button,
                QColor(mix(off.red(), accent.red()), mix(off.green(), accent.green()), mix(off.blue(), accent.blue())));
        }
        button->setPalette(palette);
    };
    QObject::connect(button, &QAbstractButton::toggled, button, tint);
    tint();
    followPalette(button, tint);
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace Appearance
