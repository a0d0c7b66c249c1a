#pragma once

#include "kvwatcher.h"

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

class KvContext;
class QAction;
class QStackedWidget;
class QTabWidget;
class WatchView;

// The bottom dock's content: any number of live watches, one tab each, and the actions that act on the
// current one (new, pause/resume, clear, follow, export, close) for the menus and their shortcuts.
class WatchPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit WatchPanel(QWidget *parent = nullptr);

    // The connection's buckets; changing it closes every watch (they belong to the old connection).
    void setContext(KvContext *kv, bool hasSession);
    // Buckets offered by the "New Watch" dialog.
    void setBucketNames(const QStringList &names);
    // The bucket the dialog proposes first.
    void setCurrentBucket(const QString &bucket);
    // The connection is down (why) or back (empty): every watch, and those added meanwhile, say so.
    void setInterruption(const QString &reason);

    WatchView *addWatch(const QString &bucket, const QStringList &filters, const KvWatchOptions &options = {});
    int count() const;
    WatchView *view(int index) const;
    WatchView *currentView() const;
    QTabWidget *tabs() const { return m_tabs; }

    QAction *newWatchAction() const { return m_newAction; }
    QAction *pauseAction() const { return m_pauseAction; }
    QAction *clearAction() const { return m_clearAction; }
    QAction *followAction() const { return m_followAction; }
    QAction *exportAction() const { return m_exportAction; }
    QAction *closeAction() const { return m_closeAction; }

public Q_SLOTS:
    // Asks for bucket, filter and options (proposing bucket and filter), then adds the watch.
    void newWatch(const QString &bucket = {}, const QString &filter = {});
    void closeWatch(int index);
    void closeAll();

Q_SIGNALS:
    void openRequested(const QString &bucket, const QString &key, quint64 revision);
    void message(const QString &text);
    // A watch's feed got entries of bucket: its size and value count changed.
    void bucketChanged(const QString &bucket);
    // A watch was added (e.g. for the dock to show itself).
    void watchAdded(WatchView *view);

private:
    void buildActions();
    void updateActions();
    void updateTab(WatchView *view);

    QPointer<KvContext> m_kv;
    QStringList m_bucketNames;
    QString m_currentBucket;
    QString m_interruption;
    QStackedWidget *m_stack = nullptr;
    QTabWidget *m_tabs = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_clearAction = nullptr;
    QAction *m_followAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_closeAction = nullptr;
};
