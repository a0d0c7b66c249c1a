#include "operationstyle.h"

#include <QtGui/QPalette>

namespace {

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

} // namespace OperationStyle
