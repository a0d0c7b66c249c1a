#pragma once

#include <QtGui/QIcon>
#include <QtGui/QIconEngine>

// An icon whose Disabled look is its Normal look at a third of its opacity, in any theme. The style's own
// disabled look fails both ways with Adwaita's white glyphs (refresh, play): Fusion greys a light icon on a
// light window hardly at all, and lightens every icon on a dark window, so a disabled button there stood
// out more than an enabled one.
class DimmedIconEngine final : public QIconEngine
{
public:
    explicit DimmedIconEngine(const QIcon &icon);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override;
    QString key() const override;
    QIconEngine *clone() const override;
    bool isNull() override;

    static constexpr qreal kDisabledOpacity = 0.33;

private:
    QIcon m_icon;
};
