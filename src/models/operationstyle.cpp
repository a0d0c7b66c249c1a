#include "operationstyle.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QHash>
#include <QtGui/QPainter>
#include <QtGui/QPainterPath>
#include <QtGui/QPalette>
#include <QtGui/QPixmap>

namespace {

enum class Shape {
    Plus,
    Minus,
    Cross,
    Hourglass,
    Ellipsis
};

// The glyph's lines on a 16×16 grid, scaled to the pixmap: shapes that differ without their colour.
void drawShape(QPainter *painter, Shape shape, const QColor &color)
{
    QPen pen(color, 2.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    painter->setPen(pen);
    switch (shape) {
    case Shape::Plus:
        painter->drawLine(QPointF(8, 3), QPointF(8, 13));
        painter->drawLine(QPointF(3, 8), QPointF(13, 8));
        break;
    case Shape::Minus:
        painter->drawLine(QPointF(3, 8), QPointF(13, 8));
        break;
    case Shape::Cross:
        painter->drawLine(QPointF(4, 4), QPointF(12, 12));
        painter->drawLine(QPointF(12, 4), QPointF(4, 12));
        break;
    case Shape::Hourglass: {
        pen.setWidthF(1.6);
        painter->setPen(pen);
        QPainterPath path;
        path.moveTo(4, 2.5);
        path.lineTo(12, 2.5);
        path.lineTo(4, 13.5);
        path.lineTo(12, 13.5);
        path.closeSubpath();
        painter->drawPath(path);
        break;
    }
    case Shape::Ellipsis:
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        for (const qreal x : {3.0, 8.0, 13.0})
            painter->drawEllipse(QPointF(x, 8), 1.6, 1.6);
        break;
    }
}

QPixmap shapePixmap(Shape shape, const QColor &color, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.scale(size / 16.0, size / 16.0);
    drawShape(&painter, shape, color);
    return pixmap;
}

// Glyphs are asked for on every paint of a row: made once per shape and colour. Emptied while the
// application still exists, as pixmaps need it.
QHash<QRgb, QIcon> *glyphCache()
{
    static QHash<QRgb, QIcon> *cache = [] {
        auto *made = new QHash<QRgb, QIcon>;
        qAddPostRoutine([] { glyphCache()->clear(); });
        return made;
    }();
    return cache;
}

QIcon shapeIcon(Shape shape, const QColor &color)
{
    // Colours are opaque, so the alpha byte can name the shape.
    const QRgb key = (color.rgb() & 0x00ffffff) | (QRgb(static_cast<int>(shape)) << 24);
    QHash<QRgb, QIcon> *cache = glyphCache();
    auto found = cache->constFind(key);
    if (found != cache->cend())
        return *found;
    QIcon icon;
    for (const int size : {16, 24, 32, 48})
        icon.addPixmap(shapePixmap(shape, color, size));
    cache->insert(key, icon);
    return icon;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

namespace OperationStyle {

QColor color(KvEntry::Operation operation, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (operation) {
    case KvEntry::Operation::Put:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32);
    case KvEntry::Operation::Delete:
        // Darker than Material's amber: 0xb26a00 reads at 4.2:1 on white, under the 4.5:1 text needs.
        return dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0x9a, 0x58, 0x00);
    case KvEntry::Operation::Purge:
        return dark ? QColor(0xef, 0x70, 0x70) : QColor(0xc6, 0x28, 0x28);
    }
    return palette.color(QPalette::Text);
}

QColor rowBackground(KvEntry::Operation operation, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (operation) {
    case KvEntry::Operation::Put:
        return {};
    case KvEntry::Operation::Delete:
        return dark ? QColor(0x4a, 0x38, 0x10) : QColor(0xff, 0xf4, 0xdc);
    case KvEntry::Operation::Purge:
        return dark ? QColor(0x50, 0x1e, 0x1e) : QColor(0xfd, 0xe4, 0xe4);
    }
    return {};
}

QColor gapBackground(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x3c, 0x3c, 0x5a) : QColor(0xe4, 0xe4, 0xf4);
}

QColor color(const KvEntry &entry, const QPalette &palette)
{
    if (!entry.isLimitMarker())
        return color(entry.operation, palette);
    return isDark(palette) ? QColor(0xce, 0x93, 0xd8) : QColor(0x7b, 0x1f, 0xa2);
}

QColor rowBackground(const KvEntry &entry, const QPalette &palette)
{
    if (!entry.isLimitMarker())
        return rowBackground(entry.operation, palette);
    return isDark(palette) ? QColor(0x3e, 0x22, 0x48) : QColor(0xf3, 0xe5, 0xf5);
}

QIcon glyph(const KvEntry &entry, const QPalette &palette)
{
    Shape shape = Shape::Hourglass;
    if (!entry.isLimitMarker()) {
        switch (entry.operation) {
        case KvEntry::Operation::Put:
            shape = Shape::Plus;
            break;
        case KvEntry::Operation::Delete:
            shape = Shape::Minus;
            break;
        case KvEntry::Operation::Purge:
            shape = Shape::Cross;
            break;
        }
    }
    return shapeIcon(shape, color(entry, palette));
}

QIcon gapGlyph(const QPalette &palette)
{
    return shapeIcon(Shape::Ellipsis, palette.color(QPalette::Text));
}

QString description(KvEntry::Operation operation)
{
    switch (operation) {
    case KvEntry::Operation::Put:
        return QCoreApplication::translate("OperationStyle", "PUT: a value was written");
    case KvEntry::Operation::Delete:
        return QCoreApplication::translate("OperationStyle",
                                           "DEL: the key was deleted; its earlier revisions are kept");
    case KvEntry::Operation::Purge:
        return QCoreApplication::translate("OperationStyle", "PURGE: the key was purged with its earlier revisions");
    }
    return {};
}

} // namespace OperationStyle
