#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

#include <functional>

class BucketDialog;
class BucketListModel;
class EmptyState;
class ErrorLabel;
class KvBucketEvents;
class KvReply;
struct KvBucketConfig;
struct KvBucketStatus;
class QAction;
class QHeaderView;
class QSortFilterProxyModel;
class QTimer;
class QTreeView;
class Session;

// The buckets of the connection: a sortable table with the `nats kv ls` columns and a usage bar, the
// bucket actions (new, edit, delete after typing the name, compact), refreshed on demand, when a
// bucket is created, changed or deleted anywhere (JetStream advisories), and every few seconds for sizes.
class BucketPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit BucketPanel(QWidget *parent = nullptr);

    void setSession(Session *session);
    QString currentBucket() const;
    void selectBucket(const QString &bucket);
    // No bucket selected (bucketSelected() with none).
    void clearSelection();
    BucketListModel *model() const { return m_model; }
    // The list's header: its columns and sort order.
    QHeaderView *header() const;
    // How wide the panel must be to show its columns whole, the names as long as the longest.
    int wholeColumnsWidth() const { return m_wholeColumnsWidth; }

    QAction *newAction() const { return m_newAction; }
    QAction *editAction() const { return m_editAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *compactAction() const { return m_compactAction; }
    QAction *refreshAction() const { return m_refreshAction; }

public Q_SLOTS:
    void refresh();
    // The columns as wide as their contents, the names taking the room that is left.
    void fitColumns();
    // A change was seen (the live feed of a bucket): sizes and counts are refreshed within a second,
    // one listing for any number of changes in that time.
    void refreshSoon();
    void createBucket();
    void editBucket();
    void deleteBucket();
    void compactBucket();

Q_SIGNALS:
    void bucketSelected(const QString &bucket);
    void bucketDeleted(const QString &bucket);
    // The open bucket went away (byThisWindow: deleted here); nothing is selected instead of a neighbour.
    void currentBucketGone(const QString &bucket, bool byThisWindow);
    void message(const QString &text);
    void wholeColumnsWidthChanged(int width);

private:
    void showWarnings(const QString &title, const QStringList &warnings);
    void execUntilTaken(BucketDialog *dialog, const std::function<KvReply *(const KvBucketConfig &)> &send,
                        const std::function<QString(const KvBucketConfig &, const KvReply *)> &answered);
    void createView();
    void growFigureColumns();
    void createActions();
    void updateActions();
    void showError(const QString &text);
    void watchBucketChanges();
    enum class Listing {
        Ordinary,
        WithHandshake, // asked while the connection handles the server's INFO
    };
    void list(Listing listing);
    void mergeStatuses(const QList<KvBucketStatus> &statuses);
    void setListingFailed(bool failed);
    void openUnlisted(const QString &bucket);

    QPointer<Session> m_session;
    BucketListModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTreeView *m_view = nullptr;
    ErrorLabel *m_error = nullptr;
    QTimer *m_refreshTimer = nullptr;
    QTimer *m_soonTimer = nullptr;
    EmptyState *m_empty = nullptr;
    EmptyState *m_unlisted = nullptr; // what the list says when the listing failed
    bool m_listingFailed = false;
    QPointer<KvBucketEvents> m_bucketEvents;
    QString m_pendingSelection;
    QString m_deletedHere;
    bool m_merging = false;
    int m_wholeColumnsWidth = 0;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    QAction *m_newAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_compactAction = nullptr;
    QAction *m_refreshAction = nullptr;
};
