#pragma once

#include "kvasofpoint.h"

#include <QtCore/QPointer>
#include <QtWidgets/QTreeView>

class KvAsOfRead;
class KvBucket;
class QStandardItemModel;

// The key list as it stood at a point (KvAsOfRead): read-only rows of the keys then with their revision,
// time and size, then the keys whose value then the bucket no longer holds ("cannot be answered": never
// shown with a value), then the keys there are now that did not exist then (what a restore deletes).
// Rows carry KeyListModel::KeyRole, as the live list's do, so the key panel reads selections alike.
class AsOfView final : public QTreeView
{
    Q_OBJECT

public:
    enum Column {
        KeyColumn,
        StateColumn, // next to the key: a narrow panel still shows which keys have no value then
        RevisionColumn,
        UpdatedColumn,
        SizeColumn,
        ColumnCount
    };

    explicit AsOfView(QWidget *parent = nullptr);
    ~AsOfView() override;

    void load(KvBucket *bucket, const KvAsOfPoint &point, const QString &keyFilter);
    void cancel();
    void clear();
    bool isLoading() const;
    // The finished read (nullptr while loading or after a failure).
    const KvAsOfRead *read() const;
    // Keys there are now but were not then (set before the read finishes: the live list's keys).
    void setLiveKeys(const QStringList &keys) { m_liveKeys = keys; }
    int absentThenCount() const { return m_absentThen; }
    QStringList selectedKeys() const;
    // "as of rev 1,234 (2026-11-30 10:42:05 UTC)".
    QString pointText() const;

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void loaded();
    void failed(const QString &message);
    // The key at the current row: its revision then, or 0 with note saying why there is no value to show.
    void entrySelected(const QString &key, quint64 revision, const QString &note);

private:
    void onFinished();
    void addRow(const QString &key, quint64 revision, const QDateTime &created, qint64 size, const QString &state,
                const QString &why);
    void onCurrentChanged(const QModelIndex &index);

    QStandardItemModel *m_model = nullptr;
    QPointer<KvAsOfRead> m_read;
    QStringList m_liveKeys;
    QString m_filter;
    QDateTime m_pointTime;
    int m_absentThen = 0;
};
