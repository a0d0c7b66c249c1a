#include "bucketimporter.h"

#include "kvbucket.h"
#include "kvndjson.h"

#include <QtCore/QIODevice>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace {
constexpr int kWriteWindow = 64;     // writes in flight, as kvdesk-cli import
constexpr int kLinesPerTurn = 1000;  // lines read per event-loop turn at most
constexpr int kProgressEveryMs = 50;
constexpr qsizetype kMaxProblems = 100;
} // namespace

BucketImporter::BucketImporter(KvBucket *bucket, QIODevice *input, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_input(input)
{
}

BucketImporter::~BucketImporter() = default;

void BucketImporter::start(ExistingKeys existing)
{
    if (m_state != State::Idle)
        return;
    m_existing = existing;
    m_state = State::Running;
    m_sinceProgress.start();
    if (!m_bucket || !m_input || !m_input->isReadable()) {
        m_ending = State::Failed;
        m_error = tr("nothing to import from");
        m_atEnd = true;
    }
    // On the next turn, so the caller has connected finished() whatever happens.
    QTimer::singleShot(0, this, &BucketImporter::pump);
}

void BucketImporter::pump()
{
    if (m_state != State::Running || m_pumping)
        return; // (a write that finished inside submit(): the loop below continues)
    m_pumping = true;
    QIODevice *input = m_input.data(); // a plain pointer: GCC's -Wnull-dereference misreads QPointer checks
    int lines = 0;
    while (!m_atEnd && m_inFlight < kWriteWindow && lines < kLinesPerTurn) {
        if (!input || input->atEnd()) {
            m_atEnd = true;
            break;
        }
        const QByteArray line = input->readLine();
        m_bytesRead += line.size();
        ++m_lines;
        ++lines;
        if (line.trimmed().isEmpty())
            continue;
        KvEntry entry;
        QString error;
        if (!KvNdjson::decode(line, &entry, &error)) {
            ++m_failed;
            problem(tr("line %1: %2").arg(m_lines).arg(error));
            continue;
        }
        submit(entry, m_lines);
    }
    m_pumping = false;
    reportProgress(false);
    if (lines == kLinesPerTurn && m_inFlight < kWriteWindow)
        QTimer::singleShot(0, this, &BucketImporter::pump); // a file of bad lines must not freeze the UI
    maybeFinish();
}

void BucketImporter::submit(const KvEntry &entry, qint64 line)
{
    KvReply *reply = nullptr;
    if (entry.isDeleted()) {
        if (m_existing != ExistingKeys::Overwrite) {
            ++m_skipped; // a marker only makes sense when replaying over what is there
            return;
        }
        reply = entry.operation == KvEntry::Operation::Purge ? m_bucket->purge(entry.key) : m_bucket->remove(entry.key);
    } else if (m_existing == ExistingKeys::Overwrite) {
        reply = m_bucket->put(entry.key, entry.value);
    } else {
        reply = m_bucket->create(entry.key, entry.value);
    }
    ++m_inFlight;
    const QString key = entry.key;
    connect(reply, &NatsReply::finished, this, [this, reply, key, line] {
        reply->deleteLater();
        --m_inFlight;
        onWritten(reply->error() == NatsError::NoError, reply->error() == NatsError::KeyExists, key,
                  reply->errorString(), line);
    });
}

void BucketImporter::onWritten(bool ok, bool exists, const QString &key, const QString &error, qint64 line)
{
    if (ok) {
        ++m_written;
    } else if (exists && m_existing == ExistingKeys::Skip) {
        ++m_skipped;
    } else if (exists && m_existing == ExistingKeys::Stop) {
        ++m_skipped;
        if (m_ending == State::Idle) {
            m_ending = State::Stopped;
            m_error = tr("key \"%1\" already exists (line %2): import stopped").arg(key).arg(line);
            m_atEnd = true;
        }
    } else {
        ++m_failed;
        problem(tr("line %1: %2").arg(line).arg(error));
    }
    pump();
}

void BucketImporter::problem(const QString &text)
{
    if (m_problems.size() < kMaxProblems)
        m_problems.append(text);
}

void BucketImporter::reportProgress(bool force)
{
    if (!force && m_sinceProgress.elapsed() < kProgressEveryMs)
        return;
    m_sinceProgress.restart();
    const QIODevice *input = m_input.data();
    const qint64 total = input && !input->isSequential() ? input->size() : -1;
    Q_EMIT progress(m_bytesRead, total);
}

void BucketImporter::cancel()
{
    if (m_state != State::Running || m_ending != State::Idle)
        return;
    // Nothing more is read; the writes already sent are waited for, so the counts are true.
    m_ending = State::Cancelled;
    m_error = tr("cancelled");
    m_atEnd = true;
    maybeFinish();
}

void BucketImporter::maybeFinish()
{
    if (m_state != State::Running || !m_atEnd || m_inFlight > 0)
        return;
    reportProgress(true);
    m_state = m_ending == State::Idle ? State::Finished : m_ending;
    Q_EMIT finished();
}
