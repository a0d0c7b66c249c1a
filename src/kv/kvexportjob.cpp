#include "kvexportjob.h"

#include "kvbucket.h"
#include "kvndjson.h"
#include "kvwatcher.h"

#include <QtCore/QIODevice>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace {
constexpr int kChunksInFlight = 2;     // bulk reads in flight
constexpr qsizetype kChunk = 1024;     // entries per bulk read (multi_last takes 1,024 subjects)
constexpr qsizetype kWriteChunk = 500; // entries written per event-loop turn, so the UI keeps turning
constexpr int kProgressEveryMs = 50;
constexpr qsizetype kMaxProblems = 100;
} // namespace

KvExportJob::KvExportJob(KvBucket *bucket, QIODevice *output, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_output(output)
{
}

KvExportJob::~KvExportJob()
{
    if (m_watcher)
        m_watcher->stop();
}

bool KvExportJob::begin()
{
    if (m_state != State::Idle)
        return false;
    m_state = State::Running;
    m_sinceProgress.start();
    if (!m_bucket || !m_output || !m_output->isWritable()) {
        // Fail on the next turn, so the caller has connected finished() either way.
        QTimer::singleShot(0, this, [this] {
            finish(State::Failed, NatsError(NatsError::InvalidArgument, tr("nothing to export to")));
        });
        return false;
    }
    return true;
}

void KvExportJob::exportBucket(bool includeDeletes)
{
    if (!begin())
        return;
    KvWatchOptions options;
    options.ignoreDeletes = !includeDeletes;
    m_watcher = m_bucket->watchAll(options);
    connect(m_watcher, &KvWatcher::entryReceived, this, [this](const KvEntry &entry) {
        if (m_state != State::Running)
            return;
        write(entry);
        reportProgress(false);
    });
    connect(m_watcher, &KvWatcher::initialValuesReceived, this, [this] {
        m_watcher->stop();
        reportProgress(true);
        finish(State::Finished);
    });
    connect(m_watcher, &KvWatcher::errorOccurred, this,
            [this] { finish(State::Failed, NatsError(m_watcher->error(), m_watcher->errorString())); });
}

void KvExportJob::exportKeys(const QStringList &keys)
{
    if (!begin())
        return;
    m_items.reserve(keys.size());
    for (const QString &key : keys) {
        Item item;
        item.entry.key = key;
        m_items.append(std::move(item));
    }
    QTimer::singleShot(0, this, &KvExportJob::pumpItems);
}

void KvExportJob::exportEntries(const QList<KvEntry> &entries)
{
    exportEntries(QList<KvEntry>(entries));
}

void KvExportJob::exportEntries(QList<KvEntry> &&entries)
{
    if (!begin())
        return;
    m_items.reserve(entries.size());
    for (KvEntry &entry : entries) {
        const bool partial = entry.valueSize >= 0 && entry.value.size() != entry.valueSize;
        m_items.append(Item{std::move(entry), partial ? Item::Status::ToRead : Item::Status::Ready});
    }
    entries.clear();
    QTimer::singleShot(0, this, &KvExportJob::pumpItems);
}

void KvExportJob::pumpItems()
{
    if (m_state != State::Running)
        return;
    while (m_inFlight < kChunksInFlight && m_nextFetch < m_items.size())
        fetchChunk();
    writeReady();
}

void KvExportJob::fetchChunk()
{
    QList<KvBulkRead::Want> wants;
    QList<qsizetype> indexes;
    while (m_nextFetch < m_items.size() && wants.size() < kChunk) {
        const Item &item = m_items[m_nextFetch];
        if (item.status == Item::Status::ToRead) {
            // A feed entry names its revision; a key of the bucket wants the latest.
            wants.append(KvBulkRead::Want{item.entry.key, item.entry.revision});
            indexes.append(m_nextFetch);
        }
        ++m_nextFetch;
    }
    if (wants.isEmpty())
        return;
    auto *read = new KvBulkRead(m_bucket, wants, m_readMode, this);
    ++m_inFlight;
    connect(read, &KvBulkRead::finished, this, [this, read, indexes] { onChunkRead(read, indexes); });
}

void KvExportJob::onChunkRead(KvBulkRead *read, const QList<qsizetype> &indexes)
{
    read->deleteLater();
    --m_inFlight;
    if (m_state != State::Running)
        return;
    if (read->error() != NatsError::NoError) {
        finish(State::Failed, read->errorInfo());
        return;
    }
    const QList<std::optional<KvEntry>> results = read->results();
    for (qsizetype i = 0; i < indexes.size(); ++i) {
        Item &item = m_items[indexes[i]];
        const std::optional<KvEntry> &result = results[i];
        if (result && (!result->isDeleted() || item.entry.revision > 0)) {
            item.entry = *result;
            item.status = Item::Status::Ready;
        } else {
            // A key asked for by name whose newest entry is a marker is gone: never export it as live.
            item.status = Item::Status::Skipped;
            skip(result ? tr("key \"%1\" not found: %2 at revision %3")
                              .arg(result->key, result->operationLabel())
                              .arg(result->revision)
                        : read->problem(i));
        }
    }
    pumpItems();
}

void KvExportJob::writeReady()
{
    // In order: an entry waits for the reads before it. A chunk per turn, then the event loop runs.
    qsizetype chunk = 0;
    while (m_state == State::Running && m_nextWrite < m_items.size()
           && m_items[m_nextWrite].status != Item::Status::ToRead && chunk < kWriteChunk) {
        Item &item = m_items[m_nextWrite++];
        if (item.status == Item::Status::Ready)
            write(item.entry);
        item.entry = KvEntry(); // the value is written: let it go (the status stays: never read again)
        ++chunk;
    }
    reportProgress(m_nextWrite == m_items.size());
    if (m_state != State::Running)
        return;
    if (m_nextWrite == m_items.size())
        finish(State::Finished);
    else if (chunk == kWriteChunk)
        QTimer::singleShot(0, this, &KvExportJob::pumpItems);
}

void KvExportJob::write(const KvEntry &entry)
{
    if (!m_output)
        return;
    const QByteArray line = KvNdjson::encode(entry) + '\n';
    if (m_output->write(line) != line.size()) {
        finish(State::Failed,
               NatsError(NatsError::InvalidArgument, tr("cannot write: %1").arg(m_output->errorString())));
        return;
    }
    ++m_written;
}

void KvExportJob::skip(const QString &problem)
{
    ++m_skipped;
    if (m_problems.size() < kMaxProblems)
        m_problems.append(problem);
}

void KvExportJob::reportProgress(bool force)
{
    if (!force && m_sinceProgress.elapsed() < kProgressEveryMs)
        return;
    m_sinceProgress.restart();
    Q_EMIT progress(m_written + m_skipped, totalCount());
}

qint64 KvExportJob::totalCount() const
{
    return m_watcher ? m_written + m_skipped + qint64(m_watcher->pendingCount()) : qint64(m_items.size());
}

void KvExportJob::cancel()
{
    if (m_state == State::Running)
        finish(State::Cancelled, NatsError(NatsError::Cancelled, tr("cancelled")));
}

void KvExportJob::finish(State state, const NatsError &error)
{
    if (isFinished())
        return;
    if (m_watcher)
        m_watcher->stop();
    m_state = state;
    m_error = error;
    if (error.isError())
        Q_EMIT errorOccurred(error.code());
    Q_EMIT finished();
}
