#include "kvimportjob.h"

#include "kvbucket.h"
#include "kvndjson.h"

#include <QtCore/QIODevice>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace {
constexpr int kLinesPerTurn = 1000; // lines read per event-loop turn at most
constexpr int kProgressEveryMs = 50;
constexpr qsizetype kMaxProblems = 100;
} // namespace

KvImportJob::KvImportJob(KvBucket *bucket, QIODevice *input, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_input(input)
{
}

KvImportJob::~KvImportJob() = default;

void KvImportJob::start(ExistingKeys existing)
{
    if (m_state != State::Idle)
        return;
    m_existing = existing;
    m_state = State::Running;
    m_sinceProgress.start();
    if (!m_bucket || !m_input || !m_input->isReadable()) {
        m_ending = State::Failed;
        m_error = NatsError(NatsError::InvalidArgument, tr("nothing to import from"));
        m_atEnd = true;
    }
    // On the next turn, so the caller has connected finished() whatever happens.
    QTimer::singleShot(0, this, &KvImportJob::pump);
}

void KvImportJob::pump()
{
    if (m_state != State::Running || m_pumping)
        return; // (a write that finished inside submit(): the loop below continues)
    m_pumping = true;
    QIODevice *input = m_input.data(); // a plain pointer: GCC's -Wnull-dereference misreads QPointer checks
    int lines = 0;
    while (!m_atEnd && m_inFlight < m_window && lines < kLinesPerTurn) {
        // A pipe (stdin) may not know yet whether more comes: only an empty read says it is over.
        if (!input || (input->atEnd() && !input->isSequential())) {
            m_atEnd = true;
            break;
        }
        const QByteArray line = input->readLine();
        if (line.isEmpty()) { // end of input: a blank line still holds its "\n"
            m_atEnd = true;
            break;
        }
        m_bytesRead += line.size();
        ++m_lines;
        ++lines;
        if (line.trimmed().isEmpty())
            continue;
        KvEntry entry;
        QString error;
        if (!KvNdjson::decode(line, &entry, &error)) {
            fail(m_lines, NatsError(NatsError::ValueDecodeError, error));
            continue;
        }
        submit(entry, m_lines);
    }
    m_pumping = false;
    reportProgress(false);
    if (lines == kLinesPerTurn && m_inFlight < m_window)
        QTimer::singleShot(0, this, &KvImportJob::pump); // a file of bad lines must not freeze the UI
    maybeFinish();
}

void KvImportJob::submit(const KvEntry &entry, qint64 line)
{
    KvReply *reply = nullptr;
    if (entry.isDeleted()) {
        if (m_existing != ExistingKeys::Overwrite) {
            ++m_skipped; // a marker only makes sense when replaying over what is there
            return;
        }
        reply = entry.operation == KvEntry::Operation::Purge ? m_bucket->purge(entry.key, 0, entry.ttlNs)
                                                             : m_bucket->remove(entry.key);
    } else if (entry.ttlNs != 0) {
        reply = m_bucket->create(entry.key, entry.value, entry.ttlNs);
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
        onWritten(reply->errorInfo(), key, line);
    });
}

void KvImportJob::onWritten(const NatsError &error, const QString &key, qint64 line)
{
    const bool exists = error.code() == NatsError::KeyExists;
    if (!error.isError()) {
        ++m_written;
    } else if (exists && m_existing == ExistingKeys::Skip) {
        ++m_skipped;
    } else if (exists && m_existing == ExistingKeys::Stop) {
        ++m_skipped;
        if (m_ending == State::Idle) {
            m_ending = State::Stopped;
            m_error = NatsError(NatsError::KeyExists,
                                tr("key \"%1\" already exists (line %2): import stopped").arg(key).arg(line));
            m_atEnd = true;
        }
    } else {
        fail(line, error);
    }
    pump();
}

void KvImportJob::fail(qint64 line, const NatsError &error)
{
    ++m_failed;
    if (m_problems.size() < kMaxProblems)
        m_problems.append(tr("line %1: %2").arg(line).arg(error.message()));
    Q_EMIT lineFailed(line, error);
}

void KvImportJob::reportProgress(bool force)
{
    if (!force && m_sinceProgress.elapsed() < kProgressEveryMs)
        return;
    m_sinceProgress.restart();
    const QIODevice *input = m_input.data();
    const qint64 total = input && !input->isSequential() ? input->size() : -1;
    Q_EMIT progress(m_bytesRead, total);
}

void KvImportJob::cancel()
{
    if (m_state != State::Running || m_ending != State::Idle)
        return;
    // Nothing more is read; the writes already sent are waited for, so the counts are true.
    m_ending = State::Cancelled;
    m_error = NatsError(NatsError::Cancelled, tr("cancelled"));
    m_atEnd = true;
    maybeFinish();
}

void KvImportJob::maybeFinish()
{
    if (m_state != State::Running || !m_atEnd || m_inFlight > 0)
        return;
    reportProgress(true);
    m_state = m_ending == State::Idle ? State::Finished : m_ending;
    if (m_error.isError())
        Q_EMIT errorOccurred(m_error.code());
    Q_EMIT finished();
}
