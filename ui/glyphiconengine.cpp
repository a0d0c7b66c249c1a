#include "glyphiconengine.h"

#include <QtGui/QGuiApplication>
#include <QtGui/QPainter>
#include <QtGui/QPalette>
#include <QtGui/QPixmap>

using namespace Qt::StringLiterals;

GlyphIconEngine::GlyphIconEngine(const QIcon &glyph)
    : m_glyph(glyph)
{
}

// size in device pixels, as QIcon asks its engine.
QPixmap GlyphIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    QPixmap pixmap = m_glyph.pixmap(size, 1.0, QIcon::Normal, state);
    if (pixmap.isNull())
        return pixmap;
    const QPalette palette = QGuiApplication::palette();
    // The shape kept, its colour replaced: antialiased edges keep their coverage.
    QPainter painter(&pixmap);
    painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
    painter.fillRect(pixmap.rect(),
                     palette.color(mode == QIcon::Selected ? QPalette::HighlightedText : QPalette::ButtonText));
    painter.end();
    return pixmap;
}

void GlyphIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state)
{
    const qreal ratio = painter->device() ? painter->device()->devicePixelRatio() : 1.0;
    QPixmap drawn = pixmap(rect.size() * ratio, mode, state);
    drawn.setDevicePixelRatio(ratio);
    painter->drawPixmap(rect, drawn);
}

QSize GlyphIconEngine::actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    return m_glyph.actualSize(size, mode, state);
}

QList<QSize> GlyphIconEngine::availableSizes(QIcon::Mode mode, QIcon::State state)
{
    return m_glyph.availableSizes(mode, state);
}

QString GlyphIconEngine::key() const
{
    return u"kvdesk-glyph"_s;
}

QIconEngine *GlyphIconEngine::clone() const
{
    return new GlyphIconEngine(m_glyph);
}

bool GlyphIconEngine::isNull()
{
    return m_glyph.isNull();
}
