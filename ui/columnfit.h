#pragma once

#include <QtCore/QStringList>

class QAbstractItemView;
class QHeaderView;

// Widths at which a column shows its content whole, for lists too long to measure row by row: the header's
// title (with room for the sort arrow) and the widest of some sample texts as the view's delegate lays an
// item out (the style's margins, an icon before the text), digits taken at the font's widest. Fixed widths
// in pixels cut "EXPIRED (MaxAge)" to "EXPIR…" and a date to its day at large fonts.
namespace ColumnFit {

// column's width in header of view: at least its title, and each sample as an item (after an icon when
// withIcon). Asked while the column shows (a hidden one's title measures 0) and the header shows its sort
// arrow if it is to.
int width(const QAbstractItemView *view, const QHeaderView *header, int column, const QStringList &samples,
          bool withIcon = false);
// A date and time as the lists show them (HumanFormat::localTime).
QString sampleTime();
// How a column shows the server's limit markers: "EXPIRED (MaxAge)", or "EXPIRED" where room is short.
enum class Markers {
    Label,
    Word
};
// Every word an operation column shows: PUT, DEL, PURGE and the server's markers.
QStringList operationLabels(Markers markers);

} // namespace ColumnFit
