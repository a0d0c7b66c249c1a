#pragma once

#include "kventry.h"

#include <QtGui/QColor>

class QPalette;

// One visual language for operations (docs/ui.md): PUT green, DEL amber, PURGE red, and violet for a
// limit marker the server wrote (EXPIRED), in shades that read on the given palette's base colour, light
// or dark. Text and backgrounds otherwise follow the palette.
namespace OperationStyle {

QColor color(KvEntry::Operation operation, const QPalette &palette);
// A faint background for a whole row of that operation (invalid for PUT: the palette's own base).
QColor rowBackground(KvEntry::Operation operation, const QPalette &palette);
// The background of a gap marker in a feed.
QColor gapBackground(const QPalette &palette);
// The same for an entry: a limit marker (the server's own, nats-server 2.11+) has colours of its own.
QColor color(const KvEntry &entry, const QPalette &palette);
QColor rowBackground(const KvEntry &entry, const QPalette &palette);

} // namespace OperationStyle
