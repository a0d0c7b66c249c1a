#include "kvbucket.h"

#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvkeylister.h"
#include "kvmarkerpurge.h"
#include "kvnames.h"
#include "natsconnection.h"
#include "natslogging.h"

#include <QtCore/QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

KvBucket::KvBucket(JetStreamContext *context, const QString &name, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_name(name)
{
    // The replies go with the bucket (they live on its shelves), but not unanswered. Once destroyed()
    // comes, handles that watch the bucket (QPointer) see it gone and do not call it again.
    const NatsError gone(NatsError::ConnectionClosed,
                         tr("the handle of bucket \"%1\" was destroyed before the call was answered").arg(name));
    connect(this, &QObject::destroyed, [gone](QObject *self) { KvReply::endUnfinished(self, gone); });
    // The context's replies die with it unanswered, and the calls waiting on them with them.
    if (context) {
        connect(context, &QObject::destroyed, this, [this] {
            KvReply::endUnfinished(this,
                                   NatsError(NatsError::ConnectionClosed,
                                             tr("the JetStream context was destroyed before bucket \"%1\" "
                                                "answered")
                                                 .arg(m_name)));
        });
    }
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

// A longer inbox prefix (NatsConnectOptions::inboxPrefix) takes its extra bytes from the key's room.
qsizetype KvBucket::longerInbox() const
{
    const NatsConnection *connection = m_context ? m_context->connection() : nullptr;
    return connection ? std::max<qsizetype>(0, connection->options().inboxPrefixOrDefault().size() - 6) : 0;
}

QString KvBucket::checkKey(const QString &key) const
{
    return KvNames::validateKey(key, m_name, longerInbox());
}

QString KvBucket::checkExistingKey(const QString &key) const
{
    return KvNames::validateExistingKey(key, m_name, longerInbox());
}

bool KvBucket::failIfInvalidKey(KvReply *reply, const QString &key, KeyUse use)
{
    const QString problem = use == KeyUse::New ? checkKey(key) : checkExistingKey(key);
    if (problem.isEmpty())
        return false;
    reply->finishWithErrorLater(NatsError(NatsError::InvalidKey, problem));
    return true;
}

QString KvBucket::checkValueSize(const QString &key, qint64 size, qint64 headerSize) const
{
    const qint64 total = size + headerSize;
    // The limits count the headers a write carries (an update's or a create's revision guard, a TTL): a
    // value the bucket holds may not fit with them. Said with the headers' size and the largest value a
    // write with them can carry, so that "put works, update does not" is no riddle (try-out 4, F2).
    const QString what = headerSize > 0
        ? tr("value for key \"%1\" is %2 bytes, and %3 with the headers this write carries (%4 bytes)")
              .arg(key)
              .arg(size)
              .arg(total)
              .arg(headerSize)
        : tr("value for key \"%1\" is %2 bytes").arg(key).arg(size);
    const auto room = [size, headerSize](qint64 limit) {
        if (headerSize <= 0)
            return QString();
        const QString most = limit > headerSize
            ? tr(": with them it can carry a value of at most %1 bytes").arg(limit - headerSize)
            : tr(": they leave no room for a value");
        // The guard is never left out to make room; only a write without one (a plain put) can take it.
        return size <= limit ? most + tr(" (a put without a revision guard can store this one)") : most;
    };
    const qint64 bucketLimit = m_bound ? m_boundStatus.config.maxValueSize : m_expectedMaxValueSize;
    if (bucketLimit > 0 && total > bucketLimit) {
        return headerSize > 0
            ? tr("%1; bucket \"%2\" allows at most %3 bytes per message, headers included%4")
                  .arg(what, m_name)
                  .arg(bucketLimit)
                  .arg(room(bucketLimit))
            : tr("%1; bucket \"%2\" allows at most %3 bytes per value").arg(what, m_name).arg(bucketLimit);
    }
    const qint64 serverLimit = m_context ? m_context->maxPayload() : 0;
    if (serverLimit > 0 && total > serverLimit) {
        return tr("%1; the server accepts at most %2 bytes per message%3 (max_payload)%4")
            .arg(what)
            .arg(serverLimit)
            .arg(headerSize > 0 ? tr(", headers included") : QString(), room(serverLimit));
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
    if (m_bound && m_keysElsewhere.isError()) {
        // Not at once: the caller has not connected to its handle yet.
        QTimer::singleShot(0, owner, [onError, error = m_keysElsewhere] { onError(error); });
        return;
    }
    if (m_bound) {
        action();
        return;
    }
    m_waiting.append(Waiter{owner, action, onError});
    if (!m_binding)
        bind();
}

void KvBucket::finishWaiting(const NatsError &bindError)
{
    const NatsError error = bindError.isError() ? bindError : m_keysElsewhere;
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

void KvBucket::bindNow()
{
    if (!m_bound && !m_binding)
        bind();
}

void KvBucket::bindTo(const JsStreamInfo &info)
{
    if (!m_bound && !m_binding && m_context && info.config.maxMsgsPerSubject >= 1
        && KvNames::validateBucketName(m_name).isEmpty())
        onBound(info);
}

void KvBucket::follow(const JsStreamInfo &info)
{
    if (!m_bound || info.config.name != streamName())
        return;
    // The sizes of a listing change all the time, and say nothing to the checks: settings alone rebind.
    if (info.config.toJson() == m_boundStatus.streamInfo.config.toJson())
        return;
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
        const KvNames::MirrorPrefixes prefixes = KvNames::mirrorPrefixes(info.config.mirror.name,
                                                                         info.config.mirror.externalApiPrefix);
        m_readPrefix = prefixes.read;
        m_writePrefix = prefixes.write;
    } else if (m_context->apiPrefix() != "$JS.API.") {
        // As nats.go: with a JetStream domain or API prefix, writes go through it too.
        m_writePrefix = m_context->apiPrefix() + m_writePrefix;
    }
    m_keysElsewhere = keysElsewhere(info.config);
    m_bound = true;
    Q_EMIT boundChanged();
}

// A bucket of sources as made where the server has no subject transforms (nats.go 1.22.1 on 2.9): its
// stream has no subjects, and keeps its sources' entries under their own names. Anything read or
// written as its keys would fail in the server's words: "consumer filter subject is not a valid subset
// of the interest subjects (JetStream error 10093)" for a listing or watch, "not found", no responders.
NatsError KvBucket::keysElsewhere(const JsStreamConfig &config) const
{
    if (config.sources.isEmpty() || !config.mirror.isEmpty() || !config.subjects.isEmpty())
        return {};
    QStringList origins;
    for (const JsStreamSource &source : config.sources)
        origins.append(KvNames::sourceBucket(source.name));
    using Feature = JsServerCapabilities::Feature;
    JsServerCapabilities *server = m_context->capabilities();
    const QString why = server->supports(Feature::SubjectTransforms)
        ? tr("it was made without the subject transforms of nats-server 2.10 and newer")
        : server->refusal(Feature::SubjectTransforms).message();
    return NatsError(NatsError::FeatureNotSupported,
                     tr("bucket \"%1\" has no keys of its own: it collects the entries of its sources (%2) under "
                        "their own names; %3")
                         .arg(m_name, origins.join(u", "_s), why));
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

void KvBucket::setPermissions(const KvPermissions &permissions)
{
    if (permissions.readsRevisionsByMessageGet(m_name))
        m_revisionsByMessageGet = true;
}

// ---- reading ---------------------------------------------------------------------------------------

void KvBucket::fetchEntry(KvReply *reply, const QString &key, quint64 revision, const EntryHandler &handler,
                          JsApiReply *sentAhead)
{
    const bool direct = sentAhead || (m_directGet && !(revision != 0 && m_revisionsByMessageGet));
    JsApiReply *get = sentAhead ? sentAhead : readMessage(entryRequest(readSubject(key), revision), direct);
    if (!sentAhead)
        connect(reply, &NatsReply::finished, get, [get] { get->abort(); });
    const auto answered = [this, reply, get, key, revision, handler, sentAhead, direct] {
        get->deleteLater();
        if (reply->isFinished())
            return;
        if (sentAhead && get->error() != NatsError::NoError && get->error() != NatsError::MessageNotFound) {
            // Not an answer (timed out, refused, cut off by a reconnect): asked again the usual way.
            fetchEntry(reply, key, revision, handler);
            return;
        }
        if (direct && revision != 0 && get->error() == NatsError::PermissionsViolation) {
            // The unsuffixed DIRECT.GET.<stream> refused: STREAM.MSG.GET answers the same revision (and
            // when it is refused too, the direct get's refusal is what is said).
            m_revisionsByMessageGet = true;
            askLeader(reply, key, revision, handler, get->errorInfo(), {});
            return;
        }
        if (get->error() == NatsError::DirectGetUnavailable) {
            // 2.10+: nobody serves direct gets for the stream (deleted, or allow_direct turned off since
            // binding). STREAM.MSG.GET tells which, and reads it if it is still there.
            m_directGet = false;
            fetchEntry(reply, key, revision, handler);
            return;
        }
        const JsStoredMessage stored = get->error() == NatsError::NoError ? get->storedMessage() : JsStoredMessage();
        // A direct get is answered by any replica, and by the bucket's mirrors too (mirror_direct): one
        // that started later, keeps less history or lags lacks what the bucket has, or has an older
        // value. Only the stream's leader can say that something is not there, and a mirror's answer
        // (it names itself) is asked again there.
        if (direct
            && (get->error() == NatsError::MessageNotFound
                || (get->error() == NatsError::NoError && !stored.isFromStream(streamName())))) {
            askLeader(reply, key, revision, handler, get->errorInfo(), stored);
            return;
        }
        deliverEntry(reply, key, revision, handler, get->errorInfo(), stored);
    };
    // A read sent ahead of the binding may have been answered while the binding was.
    if (get->isFinished())
        answered();
    else
        connect(get, &NatsReply::finished, reply, answered);
}

void KvBucket::askLeader(KvReply *reply, const QString &key, quint64 revision, const EntryHandler &handler,
                         const NatsError &directError, const JsStoredMessage &directAnswer)
{
    JsApiReply *get = readMessage(entryRequest(readSubject(key), revision), false);
    connect(reply, &NatsReply::finished, get, [get] { get->abort(); });
    connect(get, &NatsReply::finished, reply, [=, this] {
        get->deleteLater();
        if (reply->isFinished())
            return;
        const bool answered = get->error() == NatsError::NoError || get->error() == NatsError::MessageNotFound;
        if (answered) {
            deliverEntry(reply, key, revision, handler, get->errorInfo(),
                         get->error() == NatsError::NoError ? get->storedMessage() : JsStoredMessage());
        } else {
            // Not answered (a user allowed direct gets only may not ask the leader): the direct get's
            // answer is the best there is, as in the official clients.
            deliverEntry(reply, key, revision, handler, directError, directAnswer);
        }
    });
}

void KvBucket::deliverEntry(KvReply *reply, const QString &key, quint64 revision, const EntryHandler &handler,
                            const NatsError &error, const JsStoredMessage &stored)
{
    if (error.code() == NatsError::MessageNotFound) {
        handler(false, {});
        return;
    }
    if (error.isError()) {
        reply->finishWithError(keyError(error, key));
        return;
    }
    if (revision != 0 && stored.subject != readSubject(key)) {
        // That revision belongs to another key: named in the entry, for the caller's message.
        const QByteArray subject = stored.subject;
        const QString other = subject.startsWith(m_readPrefix)
            ? KvNames::keyFromSubject(subject.mid(m_readPrefix.size()))
            : QString::fromUtf8(subject);
        handler(false, KvEntry::fromStoredMessage(m_name, other, stored));
        return;
    }
    handler(true, KvEntry::fromStoredMessage(m_name, key, stored));
}

// Why key has nothing at revision (otherKey: the key the read found there instead): another key's, one the
// bucket has not reached yet, or one it no longer keeps, told apart with one STREAM.INFO; fallback when
// that cannot be read (a user who may not ask it).
void KvBucket::finishNoRevision(KvReply *reply, const QString &key, quint64 revision, const QString &otherKey,
                                const QString &fallback)
{
    if (!otherKey.isEmpty()) {
        reply->finishWithError(NatsError(
            NatsError::KeyNotFound,
            tr("revision %1 is of another key (\"%2\"), not of key \"%3\"").arg(revision).arg(otherKey, key)));
        return;
    }
    KvReply *status = this->status();
    connect(reply, &NatsReply::finished, status, [status] { status->abort(); });
    connect(status, &NatsReply::finished, reply, [this, reply, status, revision, fallback] {
        status->deleteLater();
        if (reply->isFinished())
            return;
        if (status->error() != NatsError::NoError) {
            reply->finishWithError(NatsError(NatsError::KeyNotFound, fallback));
            return;
        }
        const KvBucketStatus info = status->status();
        const quint64 last = info.streamInfo.state.lastSequence;
        reply->finishWithError(NatsError(
            NatsError::KeyNotFound,
            revision > last
                ? tr("bucket \"%1\" has no revision %2 yet (its last is %3)").arg(m_name).arg(revision).arg(last)
                : tr("revision %1 is no longer kept in bucket \"%2\" (it keeps %3 per key)")
                      .arg(revision)
                      .arg(m_name)
                      .arg(info.config.history)));
    });
}

QString KvBucket::markerRevision(const QString &key, const KvEntry &marker)
{
    const QString what = marker.isLimitMarker()
        ? (marker.markerReason == "MaxAge"
               ? tr("an expiry marker (its TTL or the bucket's max age ran out)")
               : tr("a marker the server wrote (%1)").arg(QString::fromUtf8(marker.markerReason)))
        : (marker.operation == KvEntry::Operation::Purge ? tr("a purge marker") : tr("a delete marker"));
    return tr("revision %1 of key \"%2\" is %3").arg(marker.revision).arg(key, what);
}

JsMessageGetRequest KvBucket::entryRequest(const QByteArray &subject, quint64 revision)
{
    JsMessageGetRequest request;
    if (revision == 0)
        request.lastBySubject = subject;
    else
        request.sequence = revision;
    return request;
}

JsApiReply *KvBucket::readAhead(const QString &key, quint64 revision)
{
    // Only the first call waiting for the binding: one after a write that waits too must not overtake it.
    if (m_bound || !m_waiting.isEmpty() || !m_context || !KvNames::validateBucketName(m_name).isEmpty())
        return nullptr;
    // A given revision the user may not read by direct get (setPermissions()) waits for the binding.
    if (revision != 0 && m_revisionsByMessageGet)
        return nullptr;
    return readMessage(entryRequest(KvNames::subjectPrefix(m_name) + KvNames::keySubject(key), revision), true);
}

bool KvBucket::readAheadHolds() const
{
    // What the bound bucket sends: a direct get on the bucket's own subjects (a mirror reads the origin's).
    return m_directGet && m_readPrefix == KvNames::subjectPrefix(m_name);
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
    if (failIfInvalidKey(reply, key, KeyUse::Existing))
        return reply;
    // Not bound yet: the get goes now, beside the STREAM.INFO, not a round trip after it (readAhead()).
    const QPointer<JsApiReply> ahead = readAhead(key, revision);
    if (ahead) {
        connect(reply, &NatsReply::finished, ahead, [ahead] {
            ahead->abort();
            ahead->deleteLater();
        });
    }
    whenBound(reply, [this, reply, key, revision, ahead] {
        JsApiReply *sentAhead = ahead && readAheadHolds() ? ahead.data() : nullptr;
        if (ahead && !sentAhead)
            ahead->abort(); // the bucket reads elsewhere (a mirror) or otherwise (no direct gets)
        fetchEntry(
            reply, key, revision,
            [this, reply, key, revision](bool found, const KvEntry &entry) {
                if (!found && revision != 0) {
                    finishNoRevision(
                        reply, key, revision, entry.key,
                        tr("key \"%1\" has no revision %2 in bucket \"%3\"").arg(key).arg(revision).arg(m_name));
                    return;
                }
                if (!found) {
                    reply->finishWithError(NatsError(NatsError::KeyNotFound,
                                                     tr("key \"%1\" not found in bucket \"%2\"").arg(key, m_name)));
                    return;
                }
                if (entry.isDeleted()) {
                    // Deleted keys read as not found, as in every official client; the marker is kept. A limit
                    // marker says the server removed the key (its TTL or the bucket's max age ran out).
                    const QString how = entry.isLimitMarker()
                        ? (entry.markerReason == "MaxAge" ? tr("expired") : tr("removed by the server"))
                        : (entry.operation == KvEntry::Operation::Purge ? tr("purged") : tr("deleted"));
                    reply->setEntry(entry);
                    reply->finishWithError(NatsError(
                        NatsError::KeyNotFound,
                        tr("key \"%1\" not found: it was %2 at revision %3").arg(key, how).arg(entry.revision)));
                    return;
                }
                reply->finishWithEntry(entry);
            },
            sentAhead);
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

// ---- watching and listing --------------------------------------------------------------------------

KvWatcher *KvBucket::watch(const QStringList &filters, const KvWatchOptions &options)
{
    // The watcher needs the subject prefix, and only binding tells whether the bucket mirrors another
    // one (whose subjects it then stores): bind first, unless already bound.
    const bool ready = m_bound && !m_keysElsewhere.isError();
    auto *watcher = new KvWatcher(m_context, m_name, ready ? m_readPrefix : QByteArray(), filters, options, this);
    if (!ready) {
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
    if (failIfInvalidKey(reply, key, KeyUse::Existing))
        return reply;
    KvWatchOptions options;
    options.includeHistory = true;
    auto entries = std::make_shared<QList<KvEntry>>();
    watch({key}, options)
        ->collectInitialValues(
            reply, [entries](const KvEntry &entry) { entries->append(entry); },
            [this, reply, entries, key] { finishHistory(reply, key, *entries); },
            [this, reply, key](const NatsError &error) {
                // No consumer for this user (or no deliveries to its inbox): the gets may still be allowed.
                // Where they are refused too, the consumer's refusal is what is said (the usual way).
                if (error.code() != NatsError::PermissionsViolation) {
                    reply->finishWithError(error);
                    return;
                }
                KvReply *byGets = historyByGets(key);
                connect(reply, &NatsReply::finished, byGets, [byGets] { byGets->abort(); });
                connect(byGets, &NatsReply::finished, reply, [reply, byGets, error] {
                    byGets->deleteLater();
                    if (reply->isFinished())
                        return;
                    if (byGets->error() == NatsError::PermissionsViolation)
                        reply->finishWithError(error);
                    else if (byGets->error() != NatsError::NoError)
                        reply->finishWithError(byGets->errorInfo());
                    else
                        reply->finishWithEntries(byGets->entries());
                });
            });
    return reply;
}

KvReply *KvBucket::historyByGets(const QString &key)
{
    KvReply *reply = newReply();
    if (failIfInvalidKey(reply, key, KeyUse::Existing))
        return reply;
    whenBound(reply, [this, reply, key] {
        // A given sequence goes to the unsuffixed DIRECT.GET.<stream>, as a revision read does.
        readRevisionsFrom(reply, key, 1, m_directGet && !m_revisionsByMessageGet, std::make_shared<QList<KvEntry>>());
    });
    return reply;
}

void KvBucket::readRevisionsFrom(KvReply *reply, const QString &key, quint64 from, bool direct,
                                 const std::shared_ptr<QList<KvEntry>> &entries)
{
    JsMessageGetRequest request;
    request.sequence = from;
    request.nextBySubject = readSubject(key);
    JsApiReply *get = readMessage(request, direct);
    connect(reply, &NatsReply::finished, get, [get] { get->abort(); });
    connect(get, &NatsReply::finished, reply, [=, this] {
        get->deleteLater();
        if (reply->isFinished())
            return;
        const bool refused = get->error() == NatsError::PermissionsViolation;
        if (direct && (refused || get->error() == NatsError::DirectGetUnavailable)) {
            // STREAM.MSG.GET answers the same (refused too: its refusal is said).
            readRevisionsFrom(reply, key, from, false, entries);
            return;
        }
        if (get->error() == NatsError::MessageNotFound) { // no revision of the key from there on
            finishHistory(reply, key, *entries);
            return;
        }
        if (get->error() != NatsError::NoError) {
            reply->finishWithError(keyError(get->errorInfo(), key));
            return;
        }
        // A direct get may be answered by a replica or a mirror (mirror_direct) that lags: as any direct
        // get, it tells what that copy holds.
        const JsStoredMessage stored = get->storedMessage();
        if (stored.sequence < from || stored.subject != readSubject(key)) {
            // Not what was asked: taken, it could repeat the read for ever or mix in another key.
            reply->finishWithError(NatsError(NatsError::ProtocolError,
                                             tr("the server answered a read of key \"%1\" from revision %2 with "
                                                "revision %3 of \"%4\"")
                                                 .arg(key)
                                                 .arg(from)
                                                 .arg(stored.sequence)
                                                 .arg(QString::fromUtf8(stored.subject))));
            return;
        }
        entries->append(KvEntry::fromStoredMessage(m_name, key, stored));
        readRevisionsFrom(reply, key, stored.sequence + 1, direct, entries);
    });
}

void KvBucket::finishHistory(KvReply *reply, const QString &key, const QList<KvEntry> &entries)
{
    if (entries.isEmpty())
        reply->finishWithError(
            NatsError(NatsError::KeyNotFound, tr("key \"%1\" not found in bucket \"%2\"").arg(key, m_name)));
    else
        reply->finishWithEntries(entries);
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
