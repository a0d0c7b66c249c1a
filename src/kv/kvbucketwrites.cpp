// KvBucket, part two: writing (put, create, update, revert, the markers). Binding, reading, watching
// and listing are in kvbucket.cpp; pipelined puts in KvPutBatch.
#include "kvbucket.h"

#include "jetstreamcontext.h"
#include "kvnames.h"
#include "kvputbatch.h"
#include "kvttl.h"
#include "kvttlcheck.h"
#include "kvwriteretry.h"
#include "natsnuid.h"

#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kOperationHeader = QByteArrayLiteral("KV-Operation");
const QByteArray kTtlHeader = QByteArrayLiteral("Nats-TTL");
// A write whose outcome is unknown is never sent again later than 15 s before the duplicate window
// closes (the last copy still has to reach the stream inside it).
constexpr qint64 kRetryMarginMs = 15000;

// "wrong last sequence: 7" -> 7: the revision the key really has.
quint64 revisionFromWrongSequence(const QString &description)
{
    static const QRegularExpression number(uR"(wrong last sequence:\s*(\d+))"_s);
    const QRegularExpressionMatch match = number.match(description);
    return match.hasMatch() ? match.captured(1).toULongLong() : 0;
}

} // namespace

// ---- writing ---------------------------------------------------------------------------------------

void KvBucket::publishEntry(KvReply *reply, const QString &key, const NatsMessage &message,
                            const JsPublishOptions &options)
{
    // Each write carries a message id, so that sending it again when its outcome is unknown stores it
    // once (KvWriteRetry) — unless the id's header would take it over the size limit.
    JsPublishOptions identified = options;
    const qint64 retryForMs = writeRetryMs();
    if (retryForMs > 0 && identified.messageId.isEmpty())
        identified.messageId = NatsNuid::generate();
    QString sizeProblem = sizeAsSent(key, message, identified);
    if (!sizeProblem.isEmpty() && identified.messageId != options.messageId) {
        identified = options;
        sizeProblem = sizeAsSent(key, message, identified);
    }
    if (!sizeProblem.isEmpty()) {
        // Later, not now: the caller of put()/update() has not connected to the reply yet.
        reply->finishWithErrorLater(NatsError(NatsError::ValueTooLarge, sizeProblem));
        return;
    }
    // A child of the reply, not of the bucket: with thousands of puts in flight the bucket's children
    // list made each one's deletion linear (see NatsHandleShelf).
    auto *publish = new KvWriteRetry(m_context, streamName(), readSubject(key), message, identified, retryForMs, reply);
    const auto withdraw = [publish] {
        publish->abort();
        publish->deleteLater();
    };
    connect(reply, &NatsReply::finished, publish, withdraw);
    connect(reply, &QObject::destroyed, publish, withdraw);
    connect(publish, &KvWriteRetry::finished, reply, [this, reply, publish, key] {
        publish->deleteLater();
        if (reply->isFinished())
            return;
        const NatsError error = publish->errorInfo();
        if (!error.isError()) {
            reply->finishWithRevision(publish->pubAck().sequence);
            return;
        }
        quint64 current = 0;
        const NatsError failure = writeError(error, key, &current);
        if (failure.code() == NatsError::WrongRevision)
            reply->setCurrentRevision(current);
        reply->finishWithError(failure);
    });
    publish->start();
}

NatsError KvBucket::writeError(const NatsError &error, const QString &key, quint64 *currentRevision) const
{
    switch (error.code()) {
    case NatsError::WrongLastSequence: {
        const quint64 current = revisionFromWrongSequence(error.message());
        *currentRevision = current;
        return NatsError(NatsError::WrongRevision,
                         tr("key \"%1\" was changed by someone else: its current revision is %2").arg(key).arg(current),
                         error.jsErrorCode());
    }
    case NatsError::MessageTooLarge:
        return NatsError(NatsError::ValueTooLarge,
                         tr("value for key \"%1\" exceeds the maximum value size of bucket \"%2\"").arg(key, m_name),
                         error.jsErrorCode());
    case NatsError::StreamFull: {
        // The bucket discards new: a limit of its stream refuses the write (nothing older is dropped).
        const QString limit = error.message();
        if (limit.contains("per subject"_L1)) {
            return NatsError(NatsError::BucketFull,
                             tr("bucket \"%1\" refuses another revision of key \"%2\": %3 (it discards new "
                                "revisions of a key once it holds as many as it keeps)")
                                 .arg(m_name, key, limit),
                             error.jsErrorCode());
        }
        return NatsError(NatsError::BucketFull,
                         tr("bucket \"%1\" is full: %2; key \"%3\" was not written (purge keys or raise the "
                            "bucket's limits to make room)")
                             .arg(m_name, limit, key),
                         error.jsErrorCode());
    }
    case NatsError::InsufficientResources:
        return NatsError(NatsError::InsufficientResources,
                         tr("the server has no storage left for bucket \"%1\": %2; key \"%3\" was not written")
                             .arg(m_name, error.message(), key),
                         error.jsErrorCode());
    case NatsError::NoStreamResponse:
        return NatsError(
            NatsError::NoStreamResponse,
            tr("no response from stream: bucket \"%1\" does not store key \"%2\" (was the bucket deleted?)")
                .arg(m_name, key));
    default:
        return keyError(error, key);
    }
}

QString KvBucket::checkCreateSize(const QString &key, qint64 size, qint64 ttlNs) const
{
    // The key first: the New Key dialog asks this as the key is typed, and one too long for this bucket's
    // protocol line is refused then, not when Create is pressed.
    if (const QString problem = checkKey(key); !problem.isEmpty())
        return problem;
    // As create() builds its first attempt.
    NatsMessage headersOnly(writeSubject(key), {});
    if (ttlNs != 0)
        headersOnly.headers().append(kTtlHeader, KvTtl::toHeader(ttlNs));
    return checkGuardedSize(key, size, headersOnly, 0);
}

QString KvBucket::checkUpdateSize(const QString &key, qint64 size, quint64 expectedRevision) const
{
    return checkGuardedSize(key, size, NatsMessage(writeSubject(key), {}), expectedRevision);
}

QString KvBucket::checkGuardedSize(const QString &key, qint64 size, NatsMessage headersOnly,
                                   quint64 expectedRevision) const
{
    // The message id that publishEntry() adds goes when it would not fit, so it is left out here.
    JsPublishOptions options;
    options.expectedLastSubjectSequence = expectedRevision;
    JetStreamContext::applyPublishOptions(&headersOnly, options);
    return checkValueSize(key, size, headersOnly.headers().toWire().size());
}

QString KvBucket::sizeAsSent(const QString &key, const NatsMessage &message, const JsPublishOptions &options) const
{
    // The stream's max_msg_size and the server's max_payload count the headers too, including those
    // the options add.
    NatsMessage sized = message;
    JetStreamContext::applyPublishOptions(&sized, options);
    const qint64 headerSize = sized.hasHeaders() ? sized.headers().toWire().size() : 0;
    return checkValueSize(key, message.data().size(), headerSize);
}

qint64 KvBucket::writeRetryMs() const
{
    // Retries must end well inside the stream's duplicate window, or a late copy could be stored twice.
    // A mirror's writes go to its origin, whose window is not known here: no retries.
    if (m_duplicateWindowMs <= 0)
        return 0;
    return qBound<qint64>(0, m_duplicateWindowMs - kRetryMarginMs, m_writeRetryLimitMs);
}

KvReply *KvBucket::writeEntry(const QString &key, const QByteArray &value, const NatsHeaders &headers,
                              const JsPublishOptions &options)
{
    KvReply *reply = newReply();
    // A guarded update or a marker goes to a key that is there, which another client may have named with
    // any characters; a plain put may make the key, and kvdesk makes only keys nats.go can write.
    const bool existing = options.expectedLastSubjectSequence.value_or(0) > 0 || headers.contains(kOperationHeader);
    if (failIfInvalidKey(reply, key, existing ? KeyUse::Existing : KeyUse::New))
        return reply;
    whenBound(reply, [this, reply, key, value, headers, options] {
        NatsMessage message(writeSubject(key), value);
        message.headers() = headers;
        publishEntry(reply, key, message, options);
    });
    return reply;
}

KvReply *KvBucket::put(const QString &key, const QByteArray &value)
{
    return writeEntry(key, value, {}, {});
}

KvPutBatch *KvBucket::putMany(const QList<std::pair<QString, QByteArray>> &items, int maxInFlight)
{
    return new KvPutBatch(this, items, maxInFlight);
}

KvPutBatch *KvBucket::putMany(std::function<std::optional<std::pair<QString, QByteArray>>()> source, int maxInFlight)
{
    return new KvPutBatch(this, std::move(source), maxInFlight);
}

KvReply *KvBucket::putJson(const QString &key, const QJsonDocument &document)
{
    return put(key, document.toJson(QJsonDocument::Compact));
}

KvReply *KvBucket::putText(const QString &key, const QString &text)
{
    return put(key, text.toUtf8());
}

KvReply *KvBucket::update(const QString &key, const QByteArray &value, quint64 expectedRevision)
{
    JsPublishOptions options;
    options.expectedLastSubjectSequence = expectedRevision;
    return writeEntry(key, value, {}, options);
}

void KvBucket::whenTtlAllowed(KvReply *reply, qint64 ttlNs, const Action &action)
{
    if (ttlNs == 0) {
        action();
        return;
    }
    // The check may answer at once (the server's level known, the TTL itself wrong): a refusal still
    // comes on a later turn, after the caller of create()/purge() has connected to the reply.
    KvTtlCheck::check(this, ttlNs, reply, [reply, action](const NatsError &problem) {
        if (reply->isFinished())
            return;
        if (problem.isError())
            reply->finishWithErrorLater(problem);
        else
            action();
    });
}

KvReply *KvBucket::create(const QString &key, const QByteArray &value, qint64 ttlNs)
{
    NatsHeaders headers;
    if (ttlNs != 0)
        headers.append(kTtlHeader, KvTtl::toHeader(ttlNs));
    return createEntry(key, value, headers, ttlNs);
}

KvReply *KvBucket::createMarker(const QString &key, KvEntry::Operation operation, qint64 ttlNs)
{
    return createEntry(key, {}, markerHeaders(operation, ttlNs), ttlNs);
}

KvReply *KvBucket::createEntry(const QString &key, const QByteArray &value, const NatsHeaders &headers, qint64 ttlNs)
{
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key, KeyUse::New))
        return reply;
    whenBound(reply, [this, reply, key, value, ttlNs, headers] {
        whenTtlAllowed(reply, ttlNs, [this, reply, key, value, headers] {
            // An update against "no message yet"; if the key exists it may only be a marker (delete,
            // purge, or a limit marker when it expired), which create may replace by updating against
            // the marker's revision.
            JsPublishOptions options;
            options.expectedLastSubjectSequence = 0;
            KvReply *attempt = writeEntry(key, value, headers, options);
            connect(reply, &NatsReply::finished, attempt, [attempt] { attempt->abort(); });
            connect(attempt, &NatsReply::finished, reply, [this, reply, attempt, key, value, headers] {
                attempt->deleteLater();
                if (attempt->error() == NatsError::NoError)
                    reply->finishWithRevision(attempt->revision());
                else if (attempt->error() == NatsError::WrongRevision)
                    createOver(reply, key, value, headers);
                else
                    reply->finishWithError(attempt->errorInfo());
            });
        });
    });
    return reply;
}

KvReply *KvBucket::createOverMarker(const QString &key, const QByteArray &value, quint64 markerRevision, qint64 ttlNs)
{
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key, KeyUse::New))
        return reply;
    NatsMessage message(writeSubject(key), value);
    if (ttlNs != 0)
        message.headers().append(kTtlHeader, KvTtl::toHeader(ttlNs));
    whenBound(reply, [this, reply, key, message, ttlNs, markerRevision] {
        whenTtlAllowed(reply, ttlNs, [this, reply, key, message, markerRevision] {
            JsPublishOptions options;
            options.expectedLastSubjectSequence = markerRevision;
            publishEntry(reply, key, message, options);
        });
    });
    return reply;
}

void KvBucket::createOver(KvReply *reply, const QString &key, const QByteArray &value, const NatsHeaders &headers)
{
    fetchEntry(reply, key, 0, [this, reply, key, value, headers](bool found, const KvEntry &entry) {
        if (found && !entry.isDeleted()) {
            reply->setCurrentRevision(entry.revision);
            reply->finishWithError(NatsError(
                NatsError::KeyExists, tr("key \"%1\" already exists (revision %2)").arg(key).arg(entry.revision)));
            return;
        }
        JsPublishOptions options;
        options.expectedLastSubjectSequence = found ? entry.revision : 0;
        NatsMessage message(writeSubject(key), value);
        message.headers() = headers;
        publishEntry(reply, key, message, options);
    });
}

KvReply *KvBucket::revert(const QString &key, quint64 revision, quint64 expectedLatest)
{
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key, KeyUse::Existing))
        return reply;
    const NatsError noValue(
        NatsError::KeyNotFound,
        tr("key \"%1\" has no value at revision %2 in bucket \"%3\"").arg(key).arg(revision).arg(m_name));
    if (revision == 0) {
        reply->finishWithErrorLater(noValue);
        return reply;
    }
    whenBound(reply, [this, reply, key, revision, expectedLatest, noValue] {
        fetchEntry(reply, key, revision,
                   [this, reply, key, revision, expectedLatest, noValue](bool found, const KvEntry &old) {
                       if (!found) {
                           finishNoRevision(reply, key, revision, old.key, noValue.message());
                           return;
                       }
                       if (old.isDeleted()) {
                           reply->finishWithError(NatsError(NatsError::KeyNotFound, markerRevision(key, old)));
                           return;
                       }
                       const auto write = [this, reply, key, value = old.value](quint64 latest) {
                           JsPublishOptions options;
                           options.expectedLastSubjectSequence = latest;
                           publishEntry(reply, key, NatsMessage(writeSubject(key), value), options);
                       };
                       if (expectedLatest != 0)
                           write(expectedLatest);
                       else // the newest revision, markers included: a get would hide a delete marker
                           fetchEntry(reply, key, 0, [write](bool, const KvEntry &latest) { write(latest.revision); });
                   });
    });
    return reply;
}

NatsHeaders KvBucket::markerHeaders(KvEntry::Operation operation, qint64 ttlNs)
{
    NatsHeaders headers;
    if (operation == KvEntry::Operation::Purge) {
        headers.append(kOperationHeader, "PURGE");
        headers.append("Nats-Rollup", "sub"); // drop the key's older revisions
        if (ttlNs != 0)
            headers.append(kTtlHeader, KvTtl::toHeader(ttlNs));
    } else {
        headers.append(kOperationHeader, "DEL"); // never with a TTL (nats-modern.md §4.3)
    }
    return headers;
}

KvReply *KvBucket::writeMarker(const QString &key, KvEntry::Operation operation, quint64 expectedRevision, qint64 ttlNs)
{
    const NatsHeaders headers = markerHeaders(operation, ttlNs);
    JsPublishOptions options;
    if (expectedRevision != 0)
        options.expectedLastSubjectSequence = expectedRevision;
    if (ttlNs == 0)
        return writeEntry(key, {}, headers, options);
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key, KeyUse::Existing))
        return reply;
    whenBound(reply, [this, reply, key, ttlNs, headers, options] {
        whenTtlAllowed(reply, ttlNs, [this, reply, key, headers, options] {
            NatsMessage message(writeSubject(key), {});
            message.headers() = headers;
            publishEntry(reply, key, message, options);
        });
    });
    return reply;
}

KvReply *KvBucket::remove(const QString &key, quint64 expectedRevision)
{
    return writeMarker(key, KvEntry::Operation::Delete, expectedRevision, 0);
}

KvReply *KvBucket::purge(const QString &key, quint64 expectedRevision, qint64 ttlNs)
{
    return writeMarker(key, KvEntry::Operation::Purge, expectedRevision, ttlNs);
}
