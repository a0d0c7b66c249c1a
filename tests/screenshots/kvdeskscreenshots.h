#pragma once

#include <QtCore/QString>

#include <functional>

class KvContext;
class KvReply;
class MainWindow;
class QWidget;

// What the parts of kvdesk-screenshots share: kvdeskscreenshots.cpp (the sample data, the main window,
// history, watches, TTLs) and kvdeskscreenshotsasof.cpp (the bucket as it was, its differences in time,
// the merge dialog).
namespace Shots {

// Runs the event loop until condition holds; false (saying what it waited for) after timeoutMs.
bool waitFor(const std::function<bool()> &condition, const char *what, int timeoutMs = 15000);
// Grabs widget as NAME.png (NAME-dark.png in the dark palette) in the output directory.
void save(QWidget *widget, const QString &name);
KvReply *waitReply(KvReply *reply);
// The pictures are taken in the dark palette (--dark).
bool dark();
// Selects key in the live key list and waits for its value (and its history, when that dock is shown).
bool openKey(MainWindow *window, const QString &key);

// asof-window: the key list as of a revision, a value then, the banner; asof-diff: the differences
// between that revision and now, a changed JSON value selected.
bool asOfShots(MainWindow *window, KvContext *kv);
// merge-dialog: a refused save answered with Merge, two JSON members changed differently on both sides.
bool mergeDialogShot(MainWindow *window, KvContext *kv);

} // namespace Shots
