#pragma once

class QWidget;

// Widens each line edit in widget that has a placeholder to show the whole placeholder: a hint cut in
// half ("e.g. 1h30m, 7d or em…") does not help. Call it once the dialog's fields exist.
namespace PlaceholderFit {

void apply(QWidget *widget);

} // namespace PlaceholderFit
