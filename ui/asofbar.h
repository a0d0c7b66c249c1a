#pragma once

#include "kvasofpoint.h"

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

#include <functional>

class AsOfView;
class ErrorLabel;
class KvBucket;
class KvRestoreJob;
class QAction;
class QFrame;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

// The bucket as it was, in the key panel: a revision/time field ("1234", "2026-11-30T10:42:00Z", "1h")
// that turns the key list into AsOfView, read-only, with a banner naming the point, progress and Cancel
// while it loads, Compare… (AsOfDiffDialog) and Restore Selected… (KvRestoreJob: one confirmation, then a
// report). Esc (liveAction()) or Back to Live returns to the live list. Writes are the restore's only.
class AsOfBar final : public QWidget
{
    Q_OBJECT

public:
    explicit AsOfBar(QWidget *parent = nullptr);
    ~AsOfBar() override;

    // A new bucket (or none): back to live.
    void setBucket(KvBucket *bucket);
    // Asked when a point is shown: only the keys matching its filter ("config.>", a folder) are read as of
    // the point; empty: the whole bucket.
    void setKeyFilter(const std::function<QString()> &filter) { m_keyFilter = filter; }
    // The keys with a value now (the live list's), for the rows "absent then".
    void setLiveKeys(const std::function<QStringList()> &liveKeys) { m_liveKeys = liveKeys; }
    // Asked before entering as-of mode (unsaved edits elsewhere); false keeps the live list.
    void setMayEnter(const std::function<bool()> &mayEnter) { m_mayEnter = mayEnter; }
    // A read-only connection restores nothing (the reason is shown).
    void setReadOnly(bool readOnly);

    AsOfView *view() const { return m_view; }
    QAction *liveAction() const { return m_liveAction; }
    QAction *pointAction() const { return m_pointAction; }     // focuses the revision/time field
    QAction *compareAction() const { return m_compareAction; } // Compare…
    bool isActive() const { return m_active; }
    // Why writes are off while active, for people (empty when live).
    QString readOnlyReason() const;
    // What the list shows while active, in the banner's words, for the count under it ("2 keys then, 1
    // absent then"); empty when live.
    QString countText() const;
    // What the last restore did, one line per key (for the report and tests).
    QString lastReport() const { return m_lastReport; }

public Q_SLOTS:
    void showAsOf(const KvAsOfPoint &point);
    // The live keys again, the point's field emptied.
    void goLive();
    void compare();
    void restoreSelected();

Q_SIGNALS:
    void activeChanged(bool active);
    // Entering, loaded (the reason now names the point), or live again (empty).
    void readOnlyReasonChanged(const QString &reason);
    void message(const QString &text);
    // countText() changed.
    void countChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createWidgets();
    void createControls();
    void createBanner();
    void createBusyRow();
    void createActions();
    void layoutWidgets();
    void showRequested();
    void checkTyped();
    void onLoaded();
    void onFailed(const QString &message);
    void endAsOf();
    void setBusy(const QString &what);
    void onProgress(qint64 done, qint64 total);
    void updateBanner();
    // The rows of the list by what they are: keys then, cannot be answered, absent then.
    QStringList rowCounts() const;
    // Its point in bold and the rest, from the longest way to say it to the shortest.
    void setBannerText(const QList<QPair<QString, QString>> &texts, const QString &whole);
    void elideBanner();
    // A point typed wrong: the problem, and which keys the list shows meanwhile.
    void refusePoint(const QString &problem);
    bool confirmRestore(const QStringList &keys);
    void onRestored();

    QPointer<KvBucket> m_bucket;
    std::function<QString()> m_keyFilter;
    QString m_filter; // the one the list shows
    std::function<QStringList()> m_liveKeys;
    std::function<bool()> m_mayEnter;
    AsOfView *m_view = nullptr;
    QLineEdit *m_point = nullptr;
    QPushButton *m_show = nullptr;
    QPushButton *m_compare = nullptr;
    QFrame *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    // What the banner says in one line: the longest of these that fits (the last cut if none does), all of
    // it in the tooltip.
    QList<QPair<QString, QString>> m_bannerTexts;
    QPushButton *m_restore = nullptr;
    QPushButton *m_live = nullptr;
    QLabel *m_busyText = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    ErrorLabel *m_error = nullptr;
    QAction *m_liveAction = nullptr;
    QAction *m_pointAction = nullptr;
    QAction *m_compareAction = nullptr;
    QPointer<KvRestoreJob> m_restoreJob;
    QString m_lastReport;
    QString m_restorePoint; // the point the running restore goes back to, for its report
    bool m_active = false;
    bool m_readOnly = false;
};
