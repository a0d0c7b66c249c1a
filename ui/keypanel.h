#pragma once

#include "keyglob.h"

#include <QtCore/QPersistentModelIndex>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtWidgets/QWidget>

class AsOfBar;
class ErrorLabel;
class InterruptionBanner;
class KeyFilterProxyModel;
class KeyListFilterModel;
class KeyListModel;
class KeyTreeModel;
class KvBucket;
class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTimer;
class QToolButton;
class QAbstractItemModel;
class QAbstractItemView;
class QHeaderView;
class QTableView;
class QTreeView;

// The keys of the selected bucket: a flat list and a tree on ".", one filter box (NATS wildcards go to
// the server as the watch filter, plain text filters what is loaded), "show deleted", and a status line
// with the count and the loading progress that can be cancelled.
class KeyPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit KeyPanel(QWidget *parent = nullptr);

    void setBucket(KvBucket *bucket);
    KvBucket *bucket() const;
    KeyListModel *model() const { return m_list; }
    // The key of the current row when it is selected (picked), else an empty string.
    QString currentKey() const;
    // The keys selected in the list or tree, a folder's by the keys shown under it, sorted.
    QStringList selectedKeys() const;
    // How many keys selectedKeys() holds, without listing a large selection: -1 when a selected folder holds
    // more than limit (a list's rows are counted, never listed). *only is the key when it is one.
    qsizetype selectedKeyCount(qsizetype limit, QString *only) const;
    // Selects key's row alone; none when the key is not shown (a deleted key opened by name): no other row
    // then stands for what is open.
    void selectKey(const QString &key);
    // The user removes key (Del, Purge): when its row leaves while it is the one picked, the row after it
    // (or before it, at the end) is picked, as where the user goes on. Any other key leaving picks nothing.
    void moveOnWhenGone(const QString &key) { m_moveOnKey = key; }
    // The connection is down (why) or back (empty): a banner over the keys says they may be out of date.
    // The list catches up by itself when the connection is back (its watch resumes where it stopped).
    void setInterruption(const QString &reason);
    // Says that the bucket shown went away (until another is opened); keptKey: the key whose unsaved
    // changes stay open in the value panel.
    void showBucketGone(const QString &bucket, bool byThisWindow, const QString &keptKey = {});

    QAction *filterAction() const { return m_filterAction; }
    // A filter is applied (on the server or here): an empty list is no empty bucket.
    bool isFiltered() const;
    QAction *listAction() const { return m_listAction; }
    QAction *treeAction() const { return m_treeAction; }
    // The header of the view shown (the list or the tree): its columns and sort order.
    QHeaderView *currentHeader() const;
    QAction *showDeletedAction() const { return m_showDeletedAction; }
    QAction *reloadAction() const { return m_reloadAction; }
    // The bucket as it was: a revision/time control whose read-only list takes the live list's place.
    AsOfBar *asOfBar() const { return m_asOf; }
    // Checked: keys in natural order (key2 before key10, case-insensitive); else plain byte order.
    // Remembered in the settings.
    QAction *naturalSortAction() const { return m_naturalSortAction; }

    // Wide enough for the columns shown whole beside a key name: what the window's first layout leaves the
    // panel (the buckets' panel takes only what the keys and the value can spare).
    QSize sizeHint() const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

public Q_SLOTS:
    void reload();
    void setTreeMode(bool tree);

Q_SIGNALS:
    void keySelected(const QString &key);
    void keyActivated(const QString &key);
    // selectedKeys() may say otherwise now: rows selected or not, the list or the tree shown, the keys listed
    // again. After keySelected() when both come of one click.
    void selectionChanged();

private:
    static void addKeysBelow(const QModelIndex &folder, QSet<QString> *keys, qsizetype limit);
    void createListView();
    void createFilter();
    void createActions();
    void layoutWidgets();
    void connectModel();
    void applyFilter();
    void enterKeys();
    void setClientFilters(const QString &text, const KeyGlob &glob);
    void updateStatus();
    QString mirrorNote() const;
    void updateLiveActions();
    QAbstractItemView *currentView() const;
    void setUpView(QAbstractItemView *view, const QString &name);
    void configureColumns(QHeaderView *header, const QString &settingsKey);
    void ensureTree();
    // A view's rows being removed, and whether its current row went with them.
    struct RowsLeaving
    {
        bool removing = false;
        bool currentLeft = false;
        QPersistentModelIndex picked; // the row last opened, while it stays current and selected
        QString currentKey;           // while removing: the key of the current row leaving, if it is
        QPersistentModelIndex parent; // while removing: where, and from which row
        int first = -1;
    };
    void followRowsLeaving(QAbstractItemView *view, QAbstractItemModel *proxy, RowsLeaving *leaving);
    void connectCurrentKey(QAbstractItemView *view, RowsLeaving *leaving);
    void setLiveSorting(bool live);
    void createAsOf();
    void setServerFilters(const QStringList &filters);
    void applySubjectFilters();
    void expandMatches();
    void closeFilterFolders();
    QString loadingText() const;

    QPointer<KvBucket> m_bucket;
    KeyListModel *m_list = nullptr;
    KeyTreeModel *m_tree = nullptr;
    KeyListFilterModel *m_listProxy = nullptr;
    KeyFilterProxyModel *m_treeProxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QTimer *m_filterTimer = nullptr;
    QStackedWidget *m_stack = nullptr;
    QTableView *m_listView = nullptr; // a table: laying out a million rows costs it no row structure
    QTreeView *m_treeView = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    ErrorLabel *m_error = nullptr;
    InterruptionBanner *m_interruption = nullptr;
    QAction *m_filterAction = nullptr;
    QAction *m_listAction = nullptr;
    QAction *m_treeAction = nullptr;
    QAction *m_showDeletedAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QAction *m_naturalSortAction = nullptr;
    QTimer *m_waitTimer = nullptr; // ticks the "waiting for the server" seconds
    QStringList m_serverFilters;
    QString m_pendingKey; // to select once the tree is built
    QString m_moveOnKey;  // moveOnWhenGone()
    KeyGlob m_glob;
    AsOfBar *m_asOf = nullptr;
    bool m_treeFiltered = false; // the tree's folders were opened for a filter
    RowsLeaving m_listLeaving;
    RowsLeaving m_treeLeaving;
};
