#pragma once

#include "natserror.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

class KvWatcher;
class QTimer;

// Streams a bucket's keys in batches, for buckets of any size: one headers-only ordered consumer over
// the latest revision of each key (no value is ever transferred, and no request is made per key), keys
// handed out in batches as they arrive, with progress, until the keys that existed at the start are all
// listed. Nothing is kept after a batch is emitted, so a million keys need no memory of a million keys.
class KvKeyLister : public QObject
{
    Q_OBJECT

public:
    // Takes ownership of watcher (a meta-only watch made by KvBucket::listKeys()).
    explicit KvKeyLister(KvWatcher *watcher, QObject *parent = nullptr);
    ~KvKeyLister() override;

    void setBatchSize(int keys) { m_batchSize = std::max(1, keys); }
    quint64 receivedCount() const { return m_received; }
    bool isFinished() const { return m_finished; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }

public Q_SLOTS:
    // Stops listing; finished() follows with NatsError::Cancelled.
    void cancel();

Q_SIGNALS:
    void keysReceived(const QStringList &keys);
    // received so far, and the total expected (received + still pending on the server).
    void progress(quint64 received, quint64 total);
    // Every key has been listed (or listing failed: see error()).
    void finished();
    void errorOccurred(NatsError::Code code);

private:
    void flush();
    void finish(const NatsError &error);

    QPointer<KvWatcher> m_watcher;
    QStringList m_batch;
    QTimer *m_flushTimer = nullptr;
    NatsError m_error;
    quint64 m_received = 0;
    int m_batchSize = 2000;
    bool m_finished = false;
};
