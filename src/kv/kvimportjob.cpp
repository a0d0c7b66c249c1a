#include "kvimportjob.h"

#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvndjson.h"
#include "kvttl.h"
#include "kvttlcheck.h"

#include <QtCore/QIODevice>
#include <QtCore/QTemporaryFile>
#include <QtCore/QTimer>

#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
constexpr int kLinesPerTurn = 1000; // lines read per event-loop turn at most
constexpr int kProgressEveryMs = 50;
constexpr qsizetype kMaxProblems = 100;
// Room on a line beside its value: key, revision, operation, TTL, marker reason, quoting.
constexpr qint64 kLineOverhead = 64 * 1024;
// When neither the bucket nor the server names a limit.
constexpr qint64 kDefaultMaxValue = 64 * 1024 * 1024;
constexpr qint64 kSkipChunk = 64 * 1024;
// Bytes of a line too long to import skipped per event-loop turn: a binary file imported by mistake
// (gigabytes without a newline, or a device that never ends) must not hold the loop while it is read.
constexpr qint64 kSkipPerTurn = 16 * kSkipChunk;
constexpr qint64 kLineBufferStart = 4096; // the line buffer's first size; it doubles up to the limit
// m_keys: a key whose write is in flight, and one that had a value before the import.
constexpr quint64 kWriting = std::numeric_limits<quint64>::max();
constexpr quint64 kExisting = kWriting - 1;
} // namespace

KvImportJob::KvImportJob(KvBucket *bucket, QIODevice *input, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_input(input)
{
    // A pipe may close before start() or while the bucket's status is on its way: listen from now on.
    if (input && input->isSequential()) {
        connect(input, &QIODevice::readyRead, this, &KvImportJob::pump);
        connect(input, &QIODevice::readChannelFinished, this, [this] {
            m_inputClosed = true;
            pump();
        });
    }
}

KvImportJob::~KvImportJob() = default;

void KvImportJob::start(ExistingKeys existing)
{
    if (m_state != State::Idle)
        return;
    m_existing = existing;
    if (existing == ExistingKeys::Stop)
        m_window = 1; // a write in flight behind the stopping line would still be stored
    m_state = State::Running;
    m_sinceProgress.start();
    if (!m_bucket || !m_input || !m_input->isReadable()) {
        m_ending = State::Failed;
        m_error = NatsError(NatsError::InvalidArgument, tr("nothing to import from"));
        m_atEnd = true;
    }
    if (!m_atEnd && m_input->isSequential()) {
        // Read once: kept aside while it is checked, and written from there.
        m_spool = new QTemporaryFile(this);
        if (!m_spool->open()) {
            m_ending = State::Failed;
            m_error = NatsError(NatsError::InvalidArgument,
                                tr("cannot keep the input aside while it is checked: %1").arg(m_spool->errorString()));
            m_atEnd = true;
        }
    } else if (!m_atEnd) {
        m_startPos = m_input->pos();
    }
    if (m_atEnd) {
        // On the next turn, so the caller has connected finished() whatever happens.
        QTimer::singleShot(0, this, &KvImportJob::pump);
        return;
    }
    if (m_toCreate) {
        // No bucket to read yet: the one to be created sets the limits (on a later turn, as above).
        m_config = *m_toCreate;
        m_bucket->expectConfig(m_config);
        m_lineLimit = lineLimit(m_config.maxValueSize);
        QTimer::singleShot(0, this, &KvImportJob::begin);
        return;
    }
    // The bucket's limits bound a line; reading its status binds it (and the status call answers on a
    // later turn, as above).
    KvReply *status = m_bucket->status();
    connect(status, &NatsReply::finished, this, [this, status] {
        status->deleteLater();
        if (status->error() == NatsError::NoError) {
            m_config = status->status().config;
            m_lineLimit = lineLimit(m_config.maxValueSize);
        }
        begin();
    });
}

void KvImportJob::begin()
{
    if (m_lineLimit <= 0)
        m_lineLimit = lineLimit(0);
    pump();
}

qint64 KvImportJob::lineLimit(qint64 bucketMaxValue)
{
    // A value is at most the bucket's max value size and the server's max_payload; on a line it is
    // base64 (4/3) or JSON-escaped text (a control character takes 6 bytes as \u00XX).
    qint64 maxValue = bucketMaxValue > 0 ? bucketMaxValue : 0;
    const JetStreamContext *js = m_bucket ? m_bucket->jetStream() : nullptr;
    const qint64 serverMax = js ? js->maxPayload() : 0;
    if (serverMax > 0)
        maxValue = maxValue > 0 ? qMin(maxValue, serverMax) : serverMax;
    if (maxValue <= 0)
        maxValue = kDefaultMaxValue;
    m_maxValue = maxValue;
    return maxValue * 6 + kLineOverhead;
}

KvImportJob::Read KvImportJob::readLine(QByteArray *line)
{
    QIODevice *input = m_input.data();
    if (!input)
        return Read::End;
    if (m_skipping) {
        switch (skipOverlongLine()) {
        case Skip::Done:
            break;
        case Skip::TurnOver:
            return Read::Later;
        case Skip::NoData:
            return m_inputClosed || !input->isSequential() ? Read::End : Read::Wait;
        }
    }
    if (input->isSequential())
        return readPipeLine(input, line);
    if (input->atEnd())
        return Read::End;
    *line = readBoundedLine(input, m_lineLimit + 1);
    if (line->isEmpty())
        return Read::End;
    if (line->size() > m_lineLimit && !line->endsWith('\n')) {
        m_skipping = true; // the rest is dropped by skipOverlongLine(), never held whole
        line->clear();
    }
    return Read::Line;
}

KvImportJob::Read KvImportJob::readPipeLine(QIODevice *input, QByteArray *line)
{
    // Whatever has arrived, up to a newline, joins the part of the line read before; a line is only
    // taken whole (or as the last one once the producer has closed the pipe).
    const qint64 room = m_lineLimit + 1 - m_partial.size();
    if (input->bytesAvailable() > 0)
        m_partial += input->canReadLine() ? readBoundedLine(input, room)
                                          : input->read(qMin(input->bytesAvailable(), room));
    if (m_partial.size() > m_lineLimit && !m_partial.endsWith('\n')) {
        m_partial.clear();
        m_skipping = true;
        return Read::Line;
    }
    if (m_partial.endsWith('\n') || (m_inputClosed && !m_partial.isEmpty() && input->bytesAvailable() == 0)) {
        *line = std::exchange(m_partial, {});
        return Read::Line;
    }
    if (input->bytesAvailable() > 0)
        return readPipeLine(input, line);
    return m_inputClosed ? Read::End : Read::Wait;
}

// A line of at most maxBytes bytes (its newline included). QIODevice::readLine(maxSize) allocates maxSize
// bytes for every line, 8 MiB and more where a bucket takes large values (an mmap, mremap and munmap per
// line, most of an import's time); this reads into one buffer that grows with the longest line so far.
QByteArray KvImportJob::readBoundedLine(QIODevice *input, qint64 maxBytes)
{
    qint64 used = 0;
    while (used < maxBytes) {
        const qint64 room = qMin<qint64>(m_lineBuffer.size(), maxBytes + 1) - used; // readLine keeps one for '\0'
        if (room < 2) {
            m_lineBuffer.resize(qMin(maxBytes + 1, qMax<qint64>(kLineBufferStart, m_lineBuffer.size() * 2)));
            continue;
        }
        const qint64 n = input->readLine(m_lineBuffer.data() + used, room);
        if (n <= 0)
            break;
        used += n;
        if (m_lineBuffer.at(used - 1) == '\n')
            break;
    }
    return QByteArray(m_lineBuffer.constData(), used);
}

KvImportJob::Skip KvImportJob::skipOverlongLine()
{
    QIODevice *input = m_input.data();
    for (qint64 skipped = 0; input && skipped < kSkipPerTurn;) {
        const QByteArray chunk = input->readLine(kSkipChunk);
        m_bytesRead += chunk.size();
        skipped += chunk.size();
        if (chunk.endsWith('\n')) {
            m_skipping = false;
            return Skip::Done;
        }
        if (chunk.isEmpty())
            return Skip::NoData;
    }
    return input ? Skip::TurnOver : Skip::NoData;
}

void KvImportJob::pump()
{
    if (m_state != State::Running || m_pumping || (m_lineLimit <= 0 && !m_atEnd))
        return; // (a write that finished inside submit(): the loop below continues)
    m_pumping = true;
    int lines = 0;
    // The check goes a line at a time (a line may wait for the server: checkSizeOfExisting()).
    while ((m_phase == Phase::Writing ? m_inFlight < m_window : m_inFlight == 0) && lines < kLinesPerTurn) {
        if (m_held) {
            if (!submitHeld())
                break;
            continue;
        }
        if (m_atEnd)
            break;
        QByteArray line;
        const Read read = readLine(&line);
        if (read == Read::Wait)
            break;
        if (read == Read::Later) {
            QTimer::singleShot(0, this, &KvImportJob::pump);
            break;
        }
        if (read == Read::End) {
            m_atEnd = true;
            break;
        }
        if (m_skipping) {
            m_bytesRead += m_lineLimit;
            ++m_lines;
            ++lines;
            fail(m_lines,
                 NatsError(NatsError::ValueTooLarge,
                           tr("the line is longer than %1 bytes: no value bucket \"%2\" can store (at most %3 "
                              "bytes) takes that much in NDJSON")
                               .arg(m_lineLimit)
                               .arg(m_bucket ? m_bucket->name() : QString())
                               .arg(m_maxValue)));
            continue;
        }
        m_bytesRead += line.size();
        ++m_lines;
        ++lines;
        take(line);
    }
    m_pumping = false;
    reportProgress(false);
    if (lines == kLinesPerTurn && m_inFlight < m_window)
        QTimer::singleShot(0, this, &KvImportJob::pump); // a file of bad lines must not freeze the UI
    maybeFinish();
}

void KvImportJob::take(const QByteArray &line)
{
    if (m_phase == Phase::Checking && !keepAside(line))
        return;
    if (line.trimmed().isEmpty())
        return;
    KvEntry entry;
    QString error;
    if (!KvNdjson::decode(line, &entry, &error))
        fail(m_lines, NatsError(NatsError::ValueDecodeError, error));
    else if (m_phase == Phase::Checking)
        check(entry, m_lines);
    else
        submit(entry, m_lines);
}

// What the writes would refuse before sending: the key, and the value's size as the write sends it.
bool KvImportJob::check(const KvEntry &entry, qint64 line)
{
    if (const QString problem = m_bucket->checkKey(entry.key); !problem.isEmpty()) {
        fail(line, NatsError(NatsError::InvalidKey, problem));
        return true;
    }
    if (entry.ttlNs != 0 && !checkTtl(entry, line))
        return false;
    if (entry.isDeleted())
        return true;
    const qint64 size = entry.value.size();
    const QString problem = m_existing == ExistingKeys::Overwrite && entry.ttlNs == 0
        ? m_bucket->checkValueSize(entry.key, size)
        : m_bucket->checkCreateSize(entry.key, size, entry.ttlNs);
    if (problem.isEmpty())
        return true;
    if (m_existing != ExistingKeys::Overwrite && !m_toCreate) { // a bucket to create has no existing keys
        checkSizeOfExisting(NatsError(NatsError::ValueTooLarge, problem), entry.key, line);
        return false;
    }
    fail(line, NatsError(NatsError::ValueTooLarge, problem));
    return true;
}

bool KvImportJob::checkTtl(const KvEntry &entry, qint64 line)
{
    if (const QString invalid = KvTtl::validate(entry.ttlNs); !invalid.isEmpty()) {
        fail(line, NatsError(NatsError::InvalidArgument, invalid));
        return true;
    }
    if (m_ttlAsked) {
        if (m_ttlRefusal.isError())
            fail(line, m_ttlRefusal);
        return true;
    }
    ++m_inFlight;
    const auto answered = [this, entry, line](const NatsError &refusal) {
        --m_inFlight;
        m_ttlAsked = true;
        m_ttlRefusal = refusal;
        check(entry, line); // the rest of the line's check, and the refusal if there is one
        pump();
    };
    if (m_toCreate) // no bucket to ask yet: judged by the settings it is to be created with
        KvTtlCheck::checkToCreate(m_bucket->jetStream(), *m_toCreate, 0, this, answered);
    else
        KvTtlCheck::check(m_bucket, 0, this, answered);
    return false;
}

// The modes that keep existing keys skip an existing key's line whatever it holds (see checkExists()):
// a value over the limits is a bad line only for a key that has no value.
void KvImportJob::checkSizeOfExisting(const NatsError &tooLarge, const QString &key, qint64 line)
{
    ++m_inFlight;
    KvReply *reply = m_bucket->get(key);
    connect(reply, &NatsReply::finished, this, [this, reply, tooLarge, line] {
        reply->deleteLater();
        --m_inFlight;
        if (reply->error() != NatsError::NoError || reply->entry().isDeleted())
            fail(line, tooLarge);
        pump();
    });
}

// A sequential input's line, written to the spool to be read again; false when that failed.
bool KvImportJob::keepAside(const QByteArray &line)
{
    if (!m_spool || m_failed > 0) // a bad line: nothing will be written, nothing needs keeping
        return true;
    if (m_spool->write(line) == line.size())
        return true;
    m_ending = State::Failed;
    m_error = NatsError(NatsError::InvalidArgument,
                        tr("cannot keep the input aside while it is checked: %1").arg(m_spool->errorString()));
    m_atEnd = true;
    return false;
}

void KvImportJob::endCheck()
{
    if (m_failed == 0) {
        if (m_toCreate)
            createBucket();
        else
            startWriting();
        return;
    }
    m_ending = State::Failed;
    QString outcome = m_failed == 1 ? tr("1 line cannot be imported: nothing was written")
                                    : tr("%1 lines cannot be imported: nothing was written").arg(m_failed);
    if (m_toCreate)
        outcome = tr("%1, and bucket \"%2\" was not created").arg(outcome, m_toCreate->bucket);
    m_error = NatsError(NatsError::InvalidArgument, outcome);
    maybeFinish();
}

// The input checked and good: the bucket it was checked for is made, then written. Made meanwhile by
// someone else with the same settings, creating it again succeeds; with other settings it fails
// (StreamNameInUse), and nothing is written into a bucket whose limits the input was not checked against.
void KvImportJob::createBucket()
{
    if (!m_creator)
        m_creator = new KvContext(m_bucket ? m_bucket->jetStream() : nullptr, this);
    KvReply *reply = m_creator->createBucket(*m_toCreate);
    ++m_inFlight; // holds maybeFinish() (and a cancel) until it is answered
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        --m_inFlight;
        const QString name = m_toCreate->bucket;
        if (reply->error() == NatsError::NoError) {
            m_config = reply->status().config;
            Q_EMIT bucketCreated();
        } else if (m_ending == State::Idle) {
            m_ending = State::Failed;
            m_error = reply->error() == NatsError::StreamNameInUse
                ? NatsError(NatsError::StreamNameInUse,
                            tr("bucket \"%1\" was created meanwhile with other settings than those the input was "
                               "checked against: nothing was written")
                                .arg(name))
                : NatsError(reply->error(),
                            tr("cannot create bucket \"%1\": %2; nothing was written").arg(name, reply->errorString()));
        }
        if (m_ending == State::Idle)
            startWriting();
        else
            maybeFinish(); // cancelled meanwhile, or not created
    });
}

// The input checked and good: read again from its start (a pipe's lines from where they were kept).
void KvImportJob::startWriting()
{
    m_phase = Phase::Writing;
    m_lines = 0;
    m_bytesRead = 0;
    m_atEnd = false;
    m_skipping = false;
    m_partial.clear();
    bool rewound = false;
    if (m_spool) {
        if (m_input)
            disconnect(m_input, nullptr, this, nullptr);
        m_input = m_spool;
        rewound = m_spool->flush() && m_spool->seek(0);
    } else {
        rewound = m_input && m_input->seek(m_startPos);
    }
    if (!rewound) {
        m_ending = State::Failed;
        m_error = NatsError(NatsError::InvalidArgument,
                            tr("cannot read the input again after checking it: %1")
                                .arg(m_input ? m_input->errorString() : tr("it is gone")));
        m_atEnd = true;
        maybeFinish();
        return;
    }
    pump();
}

// The line that waited for its key's write goes first, before any line after it: false while it waits.
bool KvImportJob::submitHeld()
{
    if (m_ending != State::Idle) {
        m_held.reset(); // the import ends: not written, as the lines after it
        return true;
    }
    if (m_keys.value(m_held->first.key) == kWriting)
        return false;
    const auto [entry, number] = *std::exchange(m_held, std::nullopt);
    submit(entry, number);
    return true;
}

void KvImportJob::submit(const KvEntry &entry, qint64 line)
{
    if (m_existing != ExistingKeys::Overwrite) {
        if (!submitKeeping(entry, line))
            m_held = std::make_pair(entry, line);
        return;
    }
    KvReply *reply = write(entry);
    ++m_inFlight;
    connect(reply, &NatsReply::finished, this, [this, reply, line, ttl = entry.ttlNs] {
        reply->deleteLater();
        --m_inFlight;
        if (const qint64 kept = m_config.keptKeyTtl(ttl); reply->error() == NatsError::NoError && kept != ttl)
            Q_EMIT ttlRaised(line, ttl, kept);
        onWritten(reply->errorInfo(), line);
    });
}

// Overwrite: the line replayed over whatever is there.
KvReply *KvImportJob::write(const KvEntry &entry)
{
    if (entry.isDeleted()) {
        return entry.operation == KvEntry::Operation::Purge ? m_bucket->purge(entry.key, 0, entry.ttlNs)
                                                            : m_bucket->remove(entry.key);
    }
    if (entry.ttlNs != 0)
        return m_bucket->create(entry.key, entry.value, entry.ttlNs);
    return m_bucket->put(entry.key, entry.value);
}

bool KvImportJob::submitKeeping(const KvEntry &entry, qint64 line)
{
    const quint64 known = m_keys.value(entry.key, 0);
    if (known == kWriting)
        return false; // its revision is not known yet
    if (known == kExisting) {
        existingKey(entry.key, line);
        return true;
    }
    const bool purge = entry.operation == KvEntry::Operation::Purge;
    KvReply *reply = nullptr;
    if (known == 0) // the key's first line: only where it has no value
        reply = entry.isDeleted() ? m_bucket->createMarker(entry.key, entry.operation, entry.ttlNs)
                                  : m_bucket->create(entry.key, entry.value, entry.ttlNs);
    else if (entry.isDeleted()) // on top of what this import wrote
        reply = purge ? m_bucket->purge(entry.key, known, entry.ttlNs) : m_bucket->remove(entry.key, known);
    else if (entry.ttlNs != 0 && !m_markerKeys.contains(entry.key)) {
        // A TTL only goes with a create, and the key holds the value this import wrote: what create()
        // would say, without asking (a create could go over a delete someone else made meanwhile).
        fail(
            line,
            NatsError(NatsError::KeyExists,
                      tr("key \"%1\" already exists (revision %2, written by this import)").arg(entry.key).arg(known)));
        return true;
    } else if (entry.ttlNs != 0) // created over the marker this import wrote, if no one wrote since
        reply = m_bucket->createOverMarker(entry.key, entry.value, known, entry.ttlNs);
    else
        reply = m_bucket->update(entry.key, entry.value, known);
    m_keys.insert(entry.key, kWriting);
    ++m_inFlight;
    const QString key = entry.key;
    connect(reply, &NatsReply::finished, this,
            [this, reply, key, line, known, ttl = entry.ttlNs, marker = entry.isDeleted()] {
                reply->deleteLater();
                --m_inFlight;
                if (const qint64 kept = m_config.keptKeyTtl(ttl); reply->error() == NatsError::NoError && kept != ttl)
                    Q_EMIT ttlRaised(line, ttl, kept);
                onKeptWritten(reply->errorInfo(), reply->revision(), key, line, known, marker);
            });
    return true;
}

void KvImportJob::onKeptWritten(const NatsError &error, quint64 revision, const QString &key, qint64 line,
                                quint64 before, bool marker)
{
    const bool first = before == 0;
    if (!error.isError()) {
        m_keys.insert(key, revision);
        if (marker)
            m_markerKeys.insert(key);
        else
            m_markerKeys.remove(key);
        ++m_written;
    } else if (first && error.code() == NatsError::KeyExists) {
        m_keys.insert(key, kExisting);
        existingKey(key, line);
    } else if (first && error.code() == NatsError::ValueTooLarge) {
        checkExists(error, key, line); // the key stays kWriting until it is known
        return;
    } else {
        // A later line that failed leaves the key at this import's revision before it: the lines after
        // it still go on top of that (and fail the same way if someone else has written it meanwhile).
        if (first)
            m_keys.remove(key);
        else
            m_keys.insert(key, before);
        fail(line, error);
        stopIfUnanswered(error, line);
    }
    pump();
}

void KvImportJob::onWritten(const NatsError &error, qint64 line)
{
    if (!error.isError()) {
        ++m_written;
    } else {
        fail(line, error);
        stopIfUnanswered(error, line);
    }
    pump();
}

// A line for a key that had a value before the import, in a mode that keeps them.
void KvImportJob::existingKey(const QString &key, qint64 line)
{
    switch (m_existing) {
    case ExistingKeys::Skip:
        ++m_skipped;
        break;
    case ExistingKeys::Fail:
        fail(line, NatsError(NatsError::KeyExists, tr("key \"%1\" already exists").arg(key)));
        break;
    case ExistingKeys::Stop:
        ++m_skipped;
        if (m_ending == State::Idle) {
            m_ending = State::Stopped;
            m_error = NatsError(
                NatsError::KeyExists,
                tr("key \"%1\" already exists (line %2); nothing after it was written").arg(key).arg(line));
            m_atEnd = true;
        }
        break;
    case ExistingKeys::Overwrite:
        break;
    }
}

// A value over the limits is refused before the server is asked whether its key exists: when it does, the
// line is one that keeps existing keys skip (or stop at), whatever it holds; a new key's line fails.
void KvImportJob::checkExists(const NatsError &tooLarge, const QString &key, qint64 line)
{
    ++m_inFlight;
    KvReply *reply = m_bucket->get(key);
    connect(reply, &NatsReply::finished, this, [this, reply, tooLarge, key, line] {
        reply->deleteLater();
        --m_inFlight;
        if (reply->error() == NatsError::NoError && !reply->entry().isDeleted()) {
            m_keys.insert(key, kExisting);
            existingKey(key, line);
        } else {
            m_keys.remove(key);
            fail(line, tooLarge);
        }
        pump();
    });
}

// A write that got no answer has already been retried for the bucket's write retry limit: the server
// stopped answering (or cannot be reached). The rest of the input is not sent, each write to wait out
// its retries in turn; the writes in flight are waited for, so the counts stay true.
void KvImportJob::stopIfUnanswered(const NatsError &error, qint64 line)
{
    switch (error.code()) {
    case NatsError::Timeout:
    case NatsError::OutcomeUnknown:
    case NatsError::NotConnected:
    case NatsError::ConnectionClosed:
    case NatsError::ConnectionLost:
    case NatsError::ConnectionTimeout:
        break;
    default:
        return;
    }
    if (m_ending != State::Idle)
        return;
    m_ending = State::Stopped;
    m_error = NatsError(error.code(),
                        tr("the server stopped answering (line %1: %2): import stopped, the lines "
                           "after it were not sent")
                            .arg(line)
                            .arg(error.message()));
    m_atEnd = true;
}

void KvImportJob::fail(qint64 line, const NatsError &error)
{
    ++m_failed;
    m_refused += int(m_phase == Phase::Checking);
    // Failures come out of line order (a line that is not an entry fails when read, a bad key when its
    // write is answered): the first kMaxProblems by line are kept, in line order.
    if (m_problems.size() < kMaxProblems || line < m_problems.lastKey()) {
        m_problems.insert(line, tr("line %1: %2").arg(line).arg(error.message()));
        if (m_problems.size() > kMaxProblems)
            m_problems.erase(std::prev(m_problems.end()));
    }
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
    m_held.reset();
    maybeFinish();
}

void KvImportJob::maybeFinish()
{
    if (m_state != State::Running || !m_atEnd || m_inFlight > 0 || m_held)
        return;
    if (m_phase == Phase::Checking && m_ending == State::Idle) {
        endCheck();
        return;
    }
    reportProgress(true);
    m_state = m_ending == State::Idle ? State::Finished : m_ending;
    if (m_error.isError())
        Q_EMIT errorOccurred(m_error.code());
    Q_EMIT finished();
}
