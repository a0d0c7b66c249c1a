#pragma once

#include "kventry.h"

#include <QtGui/QColor>
#include <QtGui/QIcon>

class QPalette;

// One visual language for operations (docs/ui.md): PUT green, DEL amber, PURGE red, and violet for a
// limit marker the server wrote (EXPIRED), in shades that read on the given palette's base colour, light
// or dark. Text and backgrounds otherwise follow the palette.
//
// Colour never says anything alone (issue 14, WCAG 1.4.1): every operation also has its name, a
// description and a glyph of its own shape (PUT a plus, DEL a minus, PURGE a cross, a server's limit
// marker an hourglass, a feed's gap an ellipsis), which models give as DecorationRole.
namespace OperationStyle {

QColor color(KvEntry::Operation operation, const QPalette &palette);
// A faint background for a whole row of that operation (invalid for PUT: the palette's own base).
QColor rowBackground(KvEntry::Operation operation, const QPalette &palette);
// The background of a gap marker in a feed.
QColor gapBackground(const QPalette &palette);
// The same for an entry: a limit marker (the server's own, nats-server 2.11+) has colours of its own.
QColor color(const KvEntry &entry, const QPalette &palette);
QColor rowBackground(const KvEntry &entry, const QPalette &palette);

// The glyph of an entry's operation, in its colour, and that of a gap marker.
QIcon glyph(const KvEntry &entry, const QPalette &palette);
QIcon gapGlyph(const QPalette &palette);
// What an operation did, in words, for a tooltip or a screen reader ("DEL: …").
QString description(KvEntry::Operation operation);

} // namespace OperationStyle
