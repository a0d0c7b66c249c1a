#pragma once

#include "kventry.h"
#include "kvwatcher.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

#include <optional>

class KvBucket;
class EmptyState;
class InterruptionBanner;
class KvExportJob;
class QLabel;
class QLineEdit;
class QSaveFile;
class QSortFilterProxyModel;
class QSpinBox;
class QTimer;
class QPushButton;
class QToolButton;
class QTableView;
class RateChart;
class WatchFeedModel;

// One live watch as a feed: a toolbar (state, the rate chart, pause/resume with the waiting count, clear,
// follow the newest row, the row cap, a text filter, export) over the rows of a WatchFeedModel. The watcher
// feeds the model directly and the model coalesces, so the view repaints once a frame whatever the rate.
// Revisions that never reach an all-keys feed (gone from the server before it got them, e.g. while it was
// reconnecting) show as a gap row.
class WatchView final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int DefaultRowCap = 10000;

    // Watches bucket (which must outlive the view; WatchPanel parents it to the view) with filters.
    WatchView(KvBucket *bucket, const QStringList &filters, const KvWatchOptions &options, QWidget *parent = nullptr);
    ~WatchView() override;

    QString bucketName() const { return m_bucketName; }
    QStringList filters() const { return m_filters; }
    KvWatchOptions options() const { return m_options; }
    // "orders › orders.>" for the tab; the options in words for its tooltip.
    QString title() const;
    QString description() const;
    bool detectsGaps() const { return m_detectGaps; }

    WatchFeedModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *feedView() const { return m_view; }
    RateChart *rateChart() const { return m_chart; }
    KvWatcher *watcher() const { return m_watcher; }

    bool isPaused() const;
    bool isFollowing() const { return m_following; }
    int rowCap() const;
    QString textFilter() const;
    QString statusText() const;
    // The connection is down (why) or back (empty): a banner over the feed says so. The watch resumes by
    // itself when the connection is back, after the last revision it delivered.
    void setInterruption(const QString &reason);
    QString interruption() const;
    // Entries of the selected rows (in feed order), or of every row shown (those the text filter lets
    // through); gap rows are left out.
    QList<KvEntry> selectedEntries() const;
    QList<KvEntry> shownEntries() const;

    // Writes the rows shown (or the selected rows) to path as NDJSON; the message says what was left out
    // (rows the filter hides, changes waiting while paused). The exporter reports progress and finished();
    // the file is replaced only once everything is written.
    KvExportJob *exportRows(const QString &path, bool selectedOnly);
    // Rows are shown, so Export has something to write (it is off otherwise).
    bool canExport() const { return m_canExport; }

public Q_SLOTS:
    void setPaused(bool paused);
    void setFollowing(bool follow);
    void setRowCap(int cap);
    void setTextFilter(const QString &text);
    void clear();
    // Asks where to save, then exports.
    void exportFeed();
    void exportSelection();

Q_SIGNALS:
    void openRequested(const QString &bucket, const QString &key, quint64 revision);
    void stateChanged();
    // Entries arrived in the feed (a batch of them): the bucket changed.
    void changesArrived();
    void message(const QString &text);

protected:
    // The state's colour follows the palette (View → Theme).
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildToolbar();
    QToolButton *createFeedButtons(QWidget *bar);
    void createRowCap(QWidget *bar);
    void createFilter(QWidget *bar);
    QPushButton *createExportButton(QWidget *bar);
    void buildView();
    void startWatch(KvBucket *bucket);
    void learnBaseline(KvBucket *bucket);
    void applyBaseline();
    void onBatch();
    void onRecovering(quint64 fromRevision, const QString &reason);
    void onActivated(const QModelIndex &index);
    void updatePauseButton();
    void refreshStatus();
    void askAndExport(bool selectedOnly);
    void updateExport();

    QPointer<KvBucket> m_bucket;
    QPointer<KvWatcher> m_watcher;
    QString m_bucketName;
    QStringList m_filters;
    KvWatchOptions m_options;
    WatchFeedModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    RateChart *m_chart = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_status = nullptr;
    InterruptionBanner *m_interruption = nullptr;
    EmptyState *m_empty = nullptr;
    QPushButton *m_exportButton = nullptr;
    QAction *m_exportFeedAction = nullptr;
    QAction *m_exportSelectionAction = nullptr;
    QToolButton *m_pause = nullptr;
    QToolButton *m_follow = nullptr;
    QSpinBox *m_cap = nullptr;
    QLineEdit *m_filter = nullptr;
    QTimer *m_filterTimer = nullptr;
    QTimer *m_statusTimer = nullptr;
    QSaveFile *m_exportFile = nullptr;
    QPointer<KvExportJob> m_exporter;
    QString m_recoveryText;
    QElapsedTimer m_sinceStatus;
    std::optional<quint64> m_baseline; // the bucket's last revision when the watch began
    bool m_following = true;
    bool m_detectGaps = false;
    bool m_canExport = false;
};
