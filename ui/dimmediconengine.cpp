#include "dimmediconengine.h"

#include <QtGui/QPainter>
#include <QtGui/QPixmap>

using namespace Qt::StringLiterals;

DimmedIconEngine::DimmedIconEngine(const QIcon &icon)
    : m_icon(icon)
{
}

// size in device pixels, as QIcon asks its engine.
QPixmap DimmedIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    if (mode != QIcon::Disabled)
        return m_icon.pixmap(size, 1.0, mode, state);
    const QPixmap normal = m_icon.pixmap(size, 1.0, QIcon::Normal, state);
    QPixmap dimmed(normal.size());
    dimmed.fill(Qt::transparent);
    QPainter painter(&dimmed);
    painter.setOpacity(kDisabledOpacity);
    painter.drawPixmap(0, 0, normal);
    return dimmed;
}

void DimmedIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state)
{
    if (mode != QIcon::Disabled) {
        m_icon.paint(painter, rect, Qt::AlignCenter, mode, state);
        return;
    }
    const qreal opacity = painter->opacity();
    painter->setOpacity(opacity * kDisabledOpacity);
    m_icon.paint(painter, rect, Qt::AlignCenter, QIcon::Normal, state);
    painter->setOpacity(opacity);
}

QSize DimmedIconEngine::actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    return m_icon.actualSize(size, mode, state);
}

QList<QSize> DimmedIconEngine::availableSizes(QIcon::Mode mode, QIcon::State state)
{
    return m_icon.availableSizes(mode, state);
}

QString DimmedIconEngine::key() const
{
    return u"kvdesk-dimmed"_s;
}

QIconEngine *DimmedIconEngine::clone() const
{
    return new DimmedIconEngine(m_icon);
}

bool DimmedIconEngine::isNull()
{
    return m_icon.isNull();
}
