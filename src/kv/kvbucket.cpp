#include "kvbucket.h"

#include "jetstreamcontext.h"
#include "kvkeylister.h"
#include "kvmarkerpurge.h"
#include "kvnames.h"
#include "kvttl.h"
#include "kvttlcheck.h"
#include "kvwriteretry.h"
#include "natslogging.h"
#include "natsnuid.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>

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

KvBucket::KvBucket(JetStreamContext *context, const QString &name, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_name(name)
{
}

KvBucket::~KvBucket() = default;

JetStreamContext *KvBucket::jetStream() const
{
    return m_context;
}

QString KvBucket::streamName() const
{
    return KvNames::streamName(m_name);
}

KvReply *KvBucket::newReply()
{
    return new KvReply(m_replyShelf.next());
}

NatsError KvBucket::bucketError(const NatsError &error) const
{
    if (error.code() == NatsError::StreamNotFound)
        return NatsError(NatsError::BucketNotFound, tr("bucket \"%1\" not found").arg(m_name), error.jsErrorCode());
    return error;
}

NatsError KvBucket::keyError(const NatsError &error, const QString &key) const
{
    if (error.code() != NatsError::ControlLineTooLong)
        return bucketError(error);
    // The key is valid by itself, but its subject does not fit the server's 4096-byte protocol line
    // (which would close the connection): name the key rather than the protocol line.
    const QString shown = key.size() > 40 ? key.left(40) + u'…' : key;
    return NatsError(
        NatsError::InvalidKey,
        tr("key \"%1\" (%2 characters) is too long: its subject would exceed the server's protocol line limit")
            .arg(shown)
            .arg(key.size()));
}

bool KvBucket::failIfInvalidKey(KvReply *reply, const QString &key)
{
    const QString problem = KvNames::validateKey(key);
    if (problem.isEmpty())
        return false;
    reply->finishWithErrorLater(NatsError(NatsError::InvalidKey, problem));
    return true;
}

QString KvBucket::checkValueSize(const QString &key, qint64 size, qint64 headerSize) const
{
    const qint64 total = size + headerSize;
    const qint64 bucketLimit = m_boundStatus.config.maxValueSize;
    if (m_bound && bucketLimit > 0 && total > bucketLimit) {
        return tr("value for key \"%1\" is %2 bytes; bucket \"%3\" allows at most %4 bytes per value")
            .arg(key)
            .arg(total)
            .arg(m_name)
            .arg(bucketLimit);
    }
    const qint64 serverLimit = m_context ? m_context->maxPayload() : 0;
    if (serverLimit > 0 && total > serverLimit) {
        return tr("value for key \"%1\" is %2 bytes; the server accepts at most %3 bytes per message (max_payload)")
            .arg(key)
            .arg(total)
            .arg(serverLimit);
    }
    return {};
}

// ---- binding ---------------------------------------------------------------------------------------

void KvBucket::whenBound(KvReply *reply, const Action &action)
{
    whenBound(
        reply,
        [reply, action] {
            if (!reply->isFinished())
                action();
        },
        [reply](const NatsError &error) { reply->finishWithError(error); });
}

void KvBucket::whenBound(QObject *owner, const Action &action, const ErrorHandler &onError)
{
    if (m_bound) {
        action();
        return;
    }
    m_waiting.append(Waiter{owner, action, onError});
    if (!m_binding)
        bind();
}

void KvBucket::finishWaiting(const NatsError &error)
{
    const QList<Waiter> waiting = std::exchange(m_waiting, {});
    for (const Waiter &waiter : waiting) {
        if (!waiter.owner)
            continue; // the reply or watcher is gone
        if (error.isError())
            waiter.onError(error);
        else
            waiter.action();
    }
}

void KvBucket::bind()
{
    const QString problem = KvNames::validateBucketName(m_name);
    m_binding = true;
    if (!problem.isEmpty() || !m_context) {
        const NatsError error(problem.isEmpty() ? NatsError::ConnectionClosed : NatsError::InvalidBucketName,
                              problem.isEmpty() ? tr("the connection is gone") : problem);
        // Not at once: the caller of put()/watch() has not connected to its handle yet.
        QTimer::singleShot(0, this, [this, error] {
            m_binding = false;
            finishWaiting(error);
        });
        return;
    }
    JsApiReply *reply = m_context->streamInfo(streamName());
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_binding = false;
        NatsError error = bucketError(reply->errorInfo());
        JsStreamInfo info;
        if (!error.isError()) {
            info = reply->streamInfo();
            if (info.config.maxMsgsPerSubject < 1)
                error = NatsError(NatsError::NotKeyValueBucket,
                                  tr("stream \"%1\" is not a valid key-value bucket").arg(streamName()));
        }
        if (!error.isError())
            onBound(info);
        finishWaiting(error);
    });
}

void KvBucket::bindTo(const JsStreamInfo &info)
{
    if (!m_bound && !m_binding && m_context && info.config.maxMsgsPerSubject >= 1
        && KvNames::validateBucketName(m_name).isEmpty())
        onBound(info);
}

void KvBucket::onBound(const JsStreamInfo &info)
{
    m_boundStatus = KvBucketStatus::fromStreamInfo(info);
    m_directGet = info.config.allowDirect;
    // The server's default window is 2 min (or max_age when shorter); a mirror has none.
    m_duplicateWindowMs = info.config.duplicateWindowNs > 0 ? info.config.duplicateWindowNs / 1000000 : 120000;
    if (!info.config.mirror.isEmpty())
        m_duplicateWindowMs = 0;
    m_readPrefix = KvNames::subjectPrefix(m_name);
    m_writePrefix = m_readPrefix;
    if (!info.config.mirror.isEmpty()) {
        // A mirror has no subjects: read and write through the origin bucket's subjects.
        QString origin = info.config.mirror.name;
        if (origin.startsWith("KV_"_L1))
            origin = origin.mid(3);
        m_readPrefix = KvNames::subjectPrefix(origin);
        m_writePrefix = m_readPrefix;
        if (!info.config.mirror.externalApiPrefix.isEmpty())
            m_writePrefix = info.config.mirror.externalApiPrefix.toUtf8() + '.' + m_readPrefix;
    } else if (m_context->apiPrefix() != "$JS.API.") {
        // As nats.go: with a JetStream domain or API prefix, writes go through it too.
        m_writePrefix = m_context->apiPrefix() + m_writePrefix;
    }
    m_bound = true;
    Q_EMIT boundChanged();
}

KvReply *KvBucket::status()
{
    KvReply *reply = newReply();
    if (!m_context) {
        reply->finishWithErrorLater(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return reply;
    }
    JsApiReply *info = m_context->streamInfo(streamName());
    connect(reply, &NatsReply::finished, info, [info] { info->abort(); });
    connect(info, &NatsReply::finished, reply, [this, reply, info] {
        info->deleteLater();
        if (info->error() != NatsError::NoError) {
            reply->finishWithError(bucketError(info->errorInfo()));
            return;
        }
        onBound(info->streamInfo());
        reply->finishWithStatus(m_boundStatus);
    });
    return reply;
}

// ---- reading ---------------------------------------------------------------------------------------

void KvBucket::fetchEntry(KvReply *reply, const QString &key, quint64 revision, const EntryHandler &handler)
{
    JsMessageGetRequest request;
    if (revision == 0)
        request.lastBySubject = readSubject(key);
    else
        request.sequence = revision;
    JsApiReply *get = readMessage(request, m_directGet);
    connect(reply, &NatsReply::finished, get, [get] { get->abort(); });
    connect(get, &NatsReply::finished, reply, [this, reply, get, key, revision, handler] {
        get->deleteLater();
        if (reply->isFinished())
            return;
        if (get->error() == NatsError::DirectGetUnavailable) {
            // 2.10+: nobody serves direct gets for the stream (deleted, or allow_direct turned off since
            // binding). STREAM.MSG.GET tells which, and reads it if it is still there.
            m_directGet = false;
            fetchEntry(reply, key, revision, handler);
            return;
        }
        if (get->error() == NatsError::MessageNotFound) {
            handler(false, {});
            return;
        }
        if (get->error() != NatsError::NoError) {
            reply->finishWithError(keyError(get->errorInfo(), key));
            return;
        }
        const JsStoredMessage stored = get->storedMessage();
        if (revision != 0 && stored.subject != readSubject(key)) {
            handler(false, {}); // that revision belongs to another key
            return;
        }
        handler(true, KvEntry::fromStoredMessage(m_name, key, stored));
    });
}

JsApiReply *KvBucket::readMessage(const JsMessageGetRequest &request, bool direct)
{
    return direct ? m_context->directGet(streamName(), request) : m_context->getMessage(streamName(), request);
}

KvReply *KvBucket::get(const QString &key)
{
    return get(key, 0);
}

KvReply *KvBucket::get(const QString &key, quint64 revision)
{
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key))
        return reply;
    whenBound(reply, [this, reply, key, revision] {
        fetchEntry(reply, key, revision, [this, reply, key, revision](bool found, const KvEntry &entry) {
            if (!found) {
                const QString message = revision == 0
                    ? tr("key \"%1\" not found in bucket \"%2\"").arg(key, m_name)
                    : tr("key \"%1\" has no revision %2 in bucket \"%3\"").arg(key).arg(revision).arg(m_name);
                reply->finishWithError(NatsError(NatsError::KeyNotFound, message));
                return;
            }
            if (entry.isDeleted()) {
                // Deleted keys read as not found, as in every official client; the marker is kept. A limit
                // marker says the server removed the key (its TTL or the bucket's max age ran out).
                const QString how = entry.isLimitMarker()
                    ? (entry.markerReason == "MaxAge" ? tr("expired") : tr("removed by the server"))
                    : (entry.operation == KvEntry::Operation::Purge ? tr("purged") : tr("deleted"));
                reply->setEntry(entry);
                reply->finishWithError(
                    NatsError(NatsError::KeyNotFound,
                              tr("key \"%1\" not found: it was %2 at revision %3").arg(key, how).arg(entry.revision)));
                return;
            }
            reply->finishWithEntry(entry);
        });
    });
    return reply;
}

KvReply *KvBucket::getDecoded(const QString &key, const Decoder &decode)
{
    KvReply *reply = newReply();
    KvReply *inner = get(key);
    connect(inner, &NatsReply::finished, reply, [reply, inner, decode] {
        inner->deleteLater();
        if (inner->error() != NatsError::NoError) {
            reply->finishWithError(inner->errorInfo());
            return;
        }
        QString problem;
        if (!decode(reply, inner->entry(), &problem)) {
            reply->setEntry(inner->entry());
            reply->finishWithError(NatsError(NatsError::ValueDecodeError, problem));
        }
    });
    return reply;
}

KvReply *KvBucket::getJson(const QString &key)
{
    return getDecoded(key, [](KvReply *reply, const KvEntry &entry, QString *problem) {
        QJsonDocument document;
        if (!entry.toJson(&document, problem))
            return false;
        reply->finishWithJson(entry, document);
        return true;
    });
}

KvReply *KvBucket::getText(const QString &key)
{
    return getDecoded(key, [](KvReply *reply, const KvEntry &entry, QString *problem) {
        QString text;
        if (!entry.toText(&text, problem))
            return false;
        reply->finishWithText(entry, text);
        return true;
    });
}

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
        switch (error.code()) {
        case NatsError::NoError:
            reply->finishWithRevision(publish->pubAck().sequence);
            return;
        case NatsError::WrongLastSequence: {
            const quint64 current = revisionFromWrongSequence(error.message());
            reply->setCurrentRevision(current);
            reply->finishWithError(NatsError(
                NatsError::WrongRevision,
                tr("key \"%1\" was changed by someone else: its current revision is %2").arg(key).arg(current),
                error.jsErrorCode()));
            return;
        }
        case NatsError::MessageTooLarge:
            reply->finishWithError(
                NatsError(NatsError::ValueTooLarge,
                          tr("value for key \"%1\" exceeds the maximum value size of bucket \"%2\"").arg(key, m_name),
                          error.jsErrorCode()));
            return;
        case NatsError::NoStreamResponse:
            reply->finishWithError(NatsError(NatsError::NoStreamResponse,
                                             tr("no response from stream: bucket \"%1\" does not store key \"%2\" "
                                                "(was the bucket deleted?)")
                                                 .arg(m_name, key)));
            return;
        default:
            reply->finishWithError(keyError(error, key));
        }
    });
    publish->start();
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
    if (failIfInvalidKey(reply, key))
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
    KvTtlCheck::check(this, ttlNs, reply, [reply, action](const NatsError &problem) {
        if (reply->isFinished())
            return;
        problem.isError() ? reply->finishWithError(problem) : action();
    });
}

KvReply *KvBucket::create(const QString &key, const QByteArray &value, qint64 ttlNs)
{
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key))
        return reply;
    NatsHeaders headers;
    if (ttlNs != 0)
        headers.append(kTtlHeader, KvTtl::toHeader(ttlNs));
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
    if (failIfInvalidKey(reply, key))
        return reply;
    const NatsError noValue(
        NatsError::KeyNotFound,
        tr("key \"%1\" has no value at revision %2 in bucket \"%3\"").arg(key).arg(revision).arg(m_name));
    if (revision == 0) {
        reply->finishWithErrorLater(noValue);
        return reply;
    }
    whenBound(reply, [this, reply, key, revision, expectedLatest, noValue] {
        fetchEntry(reply, key, revision, [this, reply, key, expectedLatest, noValue](bool found, const KvEntry &old) {
            if (!found || old.isDeleted()) {
                reply->finishWithError(noValue);
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

KvReply *KvBucket::writeMarker(const QString &key, KvEntry::Operation operation, quint64 expectedRevision, qint64 ttlNs)
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
    JsPublishOptions options;
    if (expectedRevision != 0)
        options.expectedLastSubjectSequence = expectedRevision;
    if (ttlNs == 0)
        return writeEntry(key, {}, headers, options);
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key))
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

// ---- watching and listing --------------------------------------------------------------------------

KvWatcher *KvBucket::watch(const QStringList &filters, const KvWatchOptions &options)
{
    // The watcher needs the subject prefix, and only binding tells whether the bucket mirrors another
    // one (whose subjects it then stores): bind first, unless already bound.
    auto *watcher = new KvWatcher(m_context, m_name, m_bound ? m_readPrefix : QByteArray(), filters, options, this);
    if (!m_bound) {
        const QPointer<KvWatcher> guard(watcher);
        whenBound(
            watcher,
            [this, guard] {
                if (guard)
                    guard->start(m_readPrefix);
            },
            [guard](const NatsError &error) {
                if (guard)
                    guard->fail(error);
            });
    }
    return watcher;
}

KvWatcher *KvBucket::watchAll(const KvWatchOptions &options)
{
    return watch({}, options);
}

KvKeyLister *KvBucket::listKeys(const QStringList &filters, bool includeDeleted)
{
    KvWatchOptions options;
    options.metaOnly = true;
    options.ignoreDeletes = !includeDeleted;
    return new KvKeyLister(watch(filters, options), this);
}

KvReply *KvBucket::history(const QString &key)
{
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key))
        return reply;
    KvWatchOptions options;
    options.includeHistory = true;
    auto entries = std::make_shared<QList<KvEntry>>();
    watch({key}, options)
        ->collectInitialValues(
            reply, [entries](const KvEntry &entry) { entries->append(entry); },
            [this, reply, entries, key] {
                if (entries->isEmpty())
                    reply->finishWithError(NatsError(NatsError::KeyNotFound,
                                                     tr("key \"%1\" not found in bucket \"%2\"").arg(key, m_name)));
                else
                    reply->finishWithEntries(*entries);
            });
    return reply;
}

KvReply *KvBucket::keys(const QStringList &filters)
{
    KvReply *reply = newReply();
    KvKeyLister *lister = listKeys(filters);
    auto keys = std::make_shared<QStringList>();
    connect(lister, &KvKeyLister::keysReceived, reply, [keys](const QStringList &batch) { keys->append(batch); });
    connect(lister, &KvKeyLister::finished, reply, [reply, lister, keys] {
        lister->deleteLater();
        if (lister->error() != NatsError::NoError)
            reply->finishWithError(NatsError(lister->error(), lister->errorString()));
        else
            reply->finishWithKeys(*keys);
    });
    connect(reply, &NatsReply::finished, lister, &QObject::deleteLater);
    return reply;
}

KvReply *KvBucket::purgeDeletes(qint64 olderThanMs)
{
    KvReply *reply = newReply();
    auto *purge = new KvMarkerPurge(reply, m_context, streamName(),
                                    olderThanMs == 0 ? DefaultDeleteMarkerThresholdMs : olderThanMs,
                                    [this](const NatsError &error) { return bucketError(error); });
    KvWatchOptions options;
    options.metaOnly = true;
    watchAll(options)->collectInitialValues(
        reply,
        [purge](const KvEntry &entry) {
            if (entry.isDeleted())
                purge->addMarker(entry);
        },
        [this, purge] { purge->start(m_readPrefix); });
    return reply;
}
