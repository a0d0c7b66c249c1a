#include "kvcontext.h"

#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvbucketevents.h"
#include "kvnames.h"
#include "kvreply.h"

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// What makes a stream a bucket beyond its name: it keeps a history per key (KV_ streams without one are
// another tool's). One rule for opening, listing and naming buckets.
bool keepsKeyHistory(const JsStreamConfig &config)
{
    return config.maxMsgsPerSubject >= 1;
}

// Stream settings a bucket's settings do not name (another tool's limits, an administrator's choice): an
// edit keeps them as the server has them, where nats.go's UpdateKeyValue sends a new bucket's values (and
// 2.9 then refuses the edit, 10052, over a setting nobody touched). The duplicate window follows the TTL
// where it did (a new bucket's: 2 min, or the TTL when shorter) and is kept otherwise, within the TTL.
void keepUnnamedSettings(QJsonObject *merged, const JsStreamConfig &previous, const JsStreamConfig &wanted,
                         const NatsServerInfo &serverInfo)
{
    const QJsonObject before = previous.toJson();
    for (const QLatin1StringView key :
         {"retention"_L1, "max_msgs"_L1, "max_consumers"_L1, "deny_purge"_L1, "allow_direct"_L1}) {
        if (before.contains(key))
            merged->insert(key, before.value(key));
    }
    const qint64 followedTtl = KvBucketConfig::fromStreamConfig(previous).toStreamConfig(serverInfo).duplicateWindowNs;
    if (previous.duplicateWindowNs <= 0 || previous.duplicateWindowNs == followedTtl)
        return;
    qint64 window = previous.duplicateWindowNs;
    if (wanted.maxAgeNs > 0)
        window = std::min(window, wanted.maxAgeNs);
    merged->insert("duplicate_window"_L1, window);
}

} // namespace

KvContext::KvContext(JetStreamContext *context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
    // As KvBucket: the replies go with the context (they live on its shelves), but not unanswered, and
    // the JetStream context's requests die with it, so the calls waiting on them end then.
    connect(this, &QObject::destroyed, [](QObject *self) {
        KvReply::endUnfinished(self,
                               NatsError(NatsError::ConnectionClosed,
                                         tr("the Key/Value context was destroyed before the call was "
                                            "answered")));
    });
    if (context) {
        connect(context, &QObject::destroyed, this, [this] {
            KvReply::endUnfinished(this,
                                   NatsError(NatsError::ConnectionClosed,
                                             tr("the JetStream context was destroyed before the call "
                                                "was answered")));
        });
    }
}

KvContext::~KvContext() = default;

JetStreamContext *KvContext::jetStream() const
{
    return m_context;
}

KvReply *KvContext::newReply()
{
    auto *reply = new KvReply(m_replyShelf.next());
    if (!m_context)
        reply->finishWithErrorLater(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
    return reply;
}

NatsServerInfo KvContext::serverInfo() const
{
    // The connection may be gone by the time an answer arrives; then the defaults will do.
    return m_context ? m_context->serverInfo() : NatsServerInfo();
}

NatsError KvContext::bucketError(const NatsError &error, const QString &bucket) const
{
    if (error.code() == NatsError::StreamNotFound)
        return NatsError(NatsError::BucketNotFound, tr("bucket \"%1\" not found").arg(bucket), error.jsErrorCode());
    return error;
}

bool KvContext::failIfInvalid(KvReply *reply, const KvBucketConfig &config)
{
    const QString problem = config.validate();
    if (problem.isEmpty())
        return false;
    const bool badName = !KvNames::validateBucketName(config.bucket).isEmpty();
    const bool badHistory = config.history > KvBucketConfig::MaxHistory;
    reply->finishWithErrorLater(
        NatsError(badName ? NatsError::InvalidBucketName
                          : (badHistory ? NatsError::HistoryTooLarge : NatsError::InvalidBucketConfig),
                  problem));
    return true;
}

bool KvContext::failIfInvalidName(KvReply *reply, const QString &bucket)
{
    const QString problem = KvNames::validateBucketName(bucket);
    if (problem.isEmpty())
        return false;
    reply->finishWithErrorLater(NatsError(NatsError::InvalidBucketName, problem));
    return true;
}

void KvContext::whenAnswered(KvReply *reply, JsApiReply *api, const QString &bucket,
                             const std::function<void()> &onSuccess)
{
    connect(api, &NatsReply::finished, reply, [this, reply, api, bucket, onSuccess] {
        api->deleteLater();
        if (api->error() != NatsError::NoError)
            reply->finishWithError(bucket.isEmpty() ? api->errorInfo() : bucketError(api->errorInfo(), bucket));
        else
            onSuccess();
    });
}

void KvContext::finishWithStreamInfo(KvReply *reply, JsApiReply *info, const QString &bucket)
{
    info->deleteLater();
    if (reply->isFinished())
        return;
    if (info->error() != NatsError::NoError) {
        reply->finishWithError(bucketError(info->errorInfo(), bucket));
        return;
    }
    passOn(info->streamInfo());
    reply->finishWithStatus(KvBucketStatus::fromStreamInfo(info->streamInfo()));
}

void KvContext::passOn(const JsStreamInfo &info)
{
    for (const QPointer<KvBucket> &bucket : std::as_const(m_buckets)) {
        if (bucket)
            bucket->follow(info);
    }
}

KvReply *KvContext::createBucket(const KvBucketConfig &config)
{
    KvReply *reply = newReply();
    if (!m_context || failIfInvalid(reply, config))
        return reply;
    // Ask $JS.API.INFO first, as nats.go does: a server without JetStream fails clearly here, and the
    // answer says the API level a marker TTL needs.
    whenAnswered(reply, m_context->accountInfo(), {}, [this, reply, config] {
        const NatsError unsupported = checkSupported(config);
        if (unsupported.isError())
            reply->finishWithError(unsupported);
        else
            checkSourcing(reply, config, nullptr, [this, reply, config] { createStream(reply, config); });
    });
    return reply;
}

void KvContext::checkSourcing(KvReply *reply, const KvBucketConfig &config, const JsStreamInfo *existing,
                              const std::function<void()> &next)
{
    // Sources that were there before are running already: only those config adds are started.
    QList<JsStreamSource> added;
    for (const JsStreamSource &source : config.sources) {
        const QString bucket = KvNames::sourceBucket(source.name);
        const bool had = existing
            && std::any_of(existing->config.sources.cbegin(), existing->config.sources.cend(),
                           [&bucket](const JsStreamSource &old) { return KvNames::sourceBucket(old.name) == bucket; });
        if (!had)
            added.append(source);
    }
    // 2.9 starts every source at its beginning (KvSourcingCheck).
    if (added.isEmpty() || !config.mirror.isEmpty() || !serverInfo().versionAtLeast(2, 10, 0)) {
        next();
        return;
    }
    const JsStreamState state = existing ? existing->state : JsStreamState();
    const QString server = serverInfo().version;
    const bool edit = existing != nullptr;
    const auto say = [reply, config, edit, state, server, next](const QList<KvSourcingCheck::Source> &sources) {
        const QStringList warnings = edit
            ? KvSourcingCheck::forAddedSources(server, config.bucket, config.history, state, sources)
            : KvSourcingCheck::forNewBucket(server, config.bucket, config.history, sources);
        for (const QString &warning : warnings)
            reply->addWarning(warning);
        next();
    };
    if (existing && !KvSourcingCheck::needsSourceInfo(state, added.size())) {
        QList<KvSourcingCheck::Source> named;
        for (const JsStreamSource &source : std::as_const(added))
            named.append(KvSourcingCheck::Source{KvNames::sourceBucket(source.name)});
        say(named);
        return;
    }
    if (!existing && added.size() < 2) {
        next();
        return;
    }
    readSources(reply, added, say);
}

void KvContext::readSources(KvReply *reply, const QList<JsStreamSource> &sources,
                            const std::function<void(const QList<KvSourcingCheck::Source> &)> &done)
{
    struct Reading
    {
        QList<KvSourcingCheck::Source> sources;
        qsizetype open = 0;
    };
    auto reading = std::make_shared<Reading>();
    for (const JsStreamSource &source : sources)
        reading->sources.append(KvSourcingCheck::Source{KvNames::sourceBucket(source.name)});
    reading->open = sources.size();
    for (qsizetype i = 0; i < sources.size(); ++i) {
        // Another domain's stream is not asked about here: left out of the reckoning.
        if (!sources.at(i).externalApiPrefix.isEmpty()) {
            --reading->open;
            continue;
        }
        JsApiReply *info = m_context->streamInfo(KvNames::streamName(KvNames::sourceBucket(sources.at(i).name)));
        connect(info, &NatsReply::finished, reply, [reply, info, reading, i, done] {
            info->deleteLater();
            // A source that cannot be read (not there yet, no permission) is left out as well: the
            // create or edit says what is wrong with it, if anything.
            if (info->error() == NatsError::NoError) {
                const JsStreamInfo stream = info->streamInfo();
                KvSourcingCheck::Source &source = reading->sources[i];
                source.known = true;
                source.history = stream.config.maxMsgsPerSubject;
                source.messages = stream.state.messages;
                source.subjects = stream.state.numSubjects;
            }
            if (--reading->open == 0 && !reply->isFinished())
                done(reading->sources);
        });
    }
    if (reading->open == 0)
        done(reading->sources);
}

NatsError KvContext::checkSupported(const KvBucketConfig &config) const
{
    using Feature = JsServerCapabilities::Feature;
    JsServerCapabilities *server = m_context->capabilities();
    QList<Feature> wanted;
    if (config.compressed)
        wanted.append(Feature::Compression);
    if (!config.metadata.isEmpty())
        wanted.append(Feature::Metadata);
    if (config.markerTtlMs > 0)
        wanted.append(Feature::LimitMarkers);
    if (config.allowsKeyTtl())
        wanted.append(Feature::MessageTtl);
    for (const Feature feature : std::as_const(wanted)) {
        if (!server->supports(feature))
            return server->refusal(feature);
    }
    return {};
}

NatsError KvContext::droppedError(const QStringList &dropped, const QString &bucket, const QString &outcome) const
{
    JsServerCapabilities *server = m_context->capabilities();
    return NatsError(NatsError::FeatureNotSupported,
                     tr("%1 (nats-server %2) silently dropped %3 from bucket \"%4\": %5")
                         .arg(server->serverUrl(), server->serverVersion(), dropped.join(u", "_s), bucket, outcome));
}

void KvContext::createStream(KvReply *reply, const KvBucketConfig &config)
{
    const JsStreamConfig wanted = config.toStreamConfig(serverInfo());
    if (wanted.droppedFields(JsStreamConfig()).isEmpty()) {
        sendCreate(reply, config, wanted, true);
        return;
    }
    // Settings an older server may drop silently: learn first whether the bucket exists, so that if they
    // are dropped only a bucket made now is removed again, never one that was there.
    JsApiReply *info = m_context->streamInfo(wanted.name);
    connect(info, &NatsReply::finished, reply, [this, reply, info, config, wanted] {
        info->deleteLater();
        if (info->error() != NatsError::NoError && info->error() != NatsError::StreamNotFound) {
            reply->finishWithError(info->errorInfo());
            return;
        }
        sendCreate(reply, config, wanted, info->error() == NatsError::NoError);
    });
}

void KvContext::sendCreate(KvReply *reply, const KvBucketConfig &config, const JsStreamConfig &wanted, bool existed)
{
    JsApiReply *create = m_context->createStream(wanted);
    connect(create, &NatsReply::finished, reply, [this, reply, create, config, wanted, existed] {
        if (create->error() == NatsError::StreamNameInUse) {
            create->deleteLater();
            resolveExisting(reply, config, wanted);
            return;
        }
        const QStringList dropped = create->error() == NatsError::NoError
            ? wanted.droppedFields(create->streamInfo().config)
            : QStringList();
        if (dropped.isEmpty()) {
            if (create->error() == NatsError::NoError)
                m_created.insert(config.bucket, create->streamInfo());
            finishWithStreamInfo(reply, create, config.bucket);
            return;
        }
        create->deleteLater();
        if (existed) {
            reply->finishWithError(droppedError(dropped, config.bucket, tr("the existing bucket was left as it was")));
            return;
        }
        JsApiReply *remove = m_context->deleteStream(wanted.name);
        connect(remove, &NatsReply::finished, reply, [this, reply, remove, dropped, config] {
            remove->deleteLater();
            reply->finishWithError(droppedError(dropped, config.bucket,
                                                remove->error() == NatsError::NoError
                                                    ? tr("the bucket was removed again")
                                                    : tr("removing it again failed: %1").arg(remove->errorString())));
        });
    });
}

void KvContext::resolveExisting(KvReply *reply, const KvBucketConfig &config, const JsStreamConfig &wanted)
{
    // The bucket exists with another config. If only "discard" differs it was made by an older client
    // (discard:old); bring it up to date as nats.go does. Anything else is a real conflict.
    JsApiReply *info = m_context->streamInfo(wanted.name);
    whenAnswered(reply, info, config.bucket, [this, reply, info, config, wanted] {
        JsStreamConfig existing = info->streamInfo().config;
        existing.discard = wanted.discard;
        const QJsonObject wantedJson = wanted.toJson();
        const QJsonObject existingJson = existing.toJson();
        const QStringList keys = wantedJson.keys();
        const bool onlyDiscard = std::all_of(keys.cbegin(), keys.cend(), [&](const QString &key) {
            return existingJson.value(key) == wantedJson.value(key);
        });
        if (!onlyDiscard) {
            reply->finishWithError(
                NatsError(NatsError::StreamNameInUse,
                          tr("bucket \"%1\" already exists with a different configuration").arg(config.bucket), 10058));
            return;
        }
        JsApiReply *update = m_context->updateStream(wanted);
        connect(update, &NatsReply::finished, reply,
                [this, reply, update, config] { finishWithStreamInfo(reply, update, config.bucket); });
    });
}

KvReply *KvContext::updateBucket(const KvBucketConfig &config)
{
    return changeBucket(config, false);
}

KvReply *KvContext::createOrUpdateBucket(const KvBucketConfig &config)
{
    return changeBucket(config, true);
}

KvReply *KvContext::changeBucket(const KvBucketConfig &config, bool createIfMissing)
{
    KvReply *reply = newReply();
    if (!m_context || failIfInvalid(reply, config))
        return reply;
    // Start from the stream's current config so settings this client does not know survive the update.
    JsApiReply *info = m_context->streamInfo(KvNames::streamName(config.bucket));
    connect(info, &NatsReply::finished, reply, [this, reply, info, config, createIfMissing] {
        info->deleteLater();
        if (info->error() == NatsError::StreamNotFound && createIfMissing) {
            checkSourcing(reply, config, nullptr, [this, reply, config] { createStream(reply, config); });
            return;
        }
        if (info->error() != NatsError::NoError) {
            reply->finishWithError(bucketError(info->errorInfo(), config.bucket));
            return;
        }
        const JsStreamInfo current = info->streamInfo();
        // The API level decides whether a marker TTL may be asked for: learn it before sending.
        m_context->capabilities()->whenKnown(reply, [this, reply, config, current](const NatsError &error) {
            const NatsError unsupported = error.isError() ? error : checkSupported(config);
            if (unsupported.isError()) {
                reply->finishWithError(unsupported);
                return;
            }
            checkSourcing(reply, config, &current,
                          [this, reply, config, current] { sendUpdate(reply, config, current.config); });
        });
    });
    return reply;
}

void KvContext::sendUpdate(KvReply *reply, const KvBucketConfig &config, const JsStreamConfig &previous)
{
    QJsonObject merged = previous.toJson();
    const JsStreamConfig wantedConfig = config.toStreamConfig(serverInfo());
    const QJsonObject wanted = wantedConfig.toJson();
    for (auto it = wanted.begin(); it != wanted.end(); ++it)
        merged.insert(it.key(), it.value());
    keepUnnamedSettings(&merged, previous, wantedConfig, serverInfo());
    // Compression is sent only when on: turning it off must say so (2.10+ knows the field).
    if (!config.compressed && merged.contains("compression"_L1))
        merged.insert("compression"_L1, "none"_L1);
    // Fields the new config leaves out (description, placement...) were cleared on purpose. A per-message
    // TTL cannot be turned off again (10052), so allow_msg_ttl stays as the server has it.
    for (const QString &optional : {u"description"_s, u"placement"_s, u"republish"_s, u"sources"_s, u"mirror"_s,
                                    u"metadata"_s, u"subject_delete_marker_ttl"_s}) {
        if (!wanted.contains(optional))
            merged.remove(optional);
    }
    JsApiReply *update = m_context->updateStream(JsStreamConfig::fromJson(merged));
    connect(update, &NatsReply::finished, reply, [this, reply, update, config, wantedConfig, previous] {
        const QStringList dropped = update->error() == NatsError::NoError
            ? wantedConfig.droppedFields(update->streamInfo().config)
            : QStringList();
        if (dropped.isEmpty()) {
            finishWithStreamInfo(reply, update, config.bucket);
            return;
        }
        update->deleteLater();
        // Put back what was there, so the bucket is not left half changed.
        JsApiReply *restore = m_context->updateStream(previous);
        connect(restore, &NatsReply::finished, reply, [this, reply, restore, dropped, config] {
            restore->deleteLater();
            reply->finishWithError(
                droppedError(dropped, config.bucket,
                             restore->error() == NatsError::NoError
                                 ? tr("its previous settings were restored")
                                 : tr("restoring its settings failed: %1").arg(restore->errorString())));
        });
    });
}

KvReply *KvContext::bucketStatus(const QString &bucket)
{
    KvReply *reply = newReply();
    if (!m_context || failIfInvalidName(reply, bucket))
        return reply;
    JsApiReply *info = m_context->streamInfo(KvNames::streamName(bucket));
    whenAnswered(reply, info, bucket, [this, reply, info] {
        const JsStreamInfo streamInfo = info->streamInfo();
        if (!keepsKeyHistory(streamInfo.config)) {
            reply->finishWithError(
                NatsError(NatsError::NotKeyValueBucket,
                          tr("stream \"%1\" is not a valid key-value bucket").arg(streamInfo.config.name)));
            return;
        }
        passOn(streamInfo);
        reply->finishWithStatus(KvBucketStatus::fromStreamInfo(streamInfo));
    });
    return reply;
}

KvReply *KvContext::deleteBucket(const QString &bucket)
{
    KvReply *reply = newReply();
    m_created.remove(bucket);
    if (!m_context || failIfInvalidName(reply, bucket))
        return reply;
    whenAnswered(reply, m_context->deleteStream(KvNames::streamName(bucket)), bucket,
                 [reply] { reply->finishWithRevision(0); });
    return reply;
}

KvReply *KvContext::bucketNames()
{
    KvReply *reply = newReply();
    if (!m_context)
        return reply;
    // STREAM.NAMES alone (no STREAM.LIST), both at once: the streams with a bucket's subjects ("$KV.*.>",
    // as nats.go's KeyValueStoreNames() asks), and every stream, for the mirror buckets, which have no
    // subjects. A KV_ stream in the second only is a mirror, or a stream named like a bucket that is
    // none: its STREAM.INFO tells, as bucketStatuses() judges it.
    JsApiReply *all = m_context->streamNames();
    JsApiReply *withKeys = m_context->streamNames(u"$KV.*.>"_s);
    for (JsApiReply *names : {all, withKeys}) {
        connect(reply, &NatsReply::finished, names, [names] { names->abort(); });
        connect(names, &NatsReply::finished, reply, [this, reply, all, withKeys, names] {
            if (reply->isFinished())
                return;
            if (names->error() != NatsError::NoError) {
                reply->finishWithError(names->errorInfo());
                return;
            }
            if (all->isFinished() && withKeys->isFinished())
                sortOutBucketNames(reply, all->streamNames(), withKeys->streamNames());
        });
        connect(reply, &NatsReply::finished, names, &QObject::deleteLater);
    }
    return reply;
}

void KvContext::sortOutBucketNames(KvReply *reply, const QStringList &all, const QStringList &withKeys)
{
    auto buckets = std::make_shared<QStringList>();
    QStringList unsure;
    for (const QString &stream : all) {
        const QString bucket = KvNames::bucketFromStream(stream);
        if (bucket.isEmpty())
            continue;
        if (withKeys.contains(stream))
            buckets->append(bucket);
        else
            unsure.append(stream);
    }
    auto waiting = std::make_shared<qsizetype>(unsure.size());
    const auto finishWhenDone = [reply, buckets, waiting] {
        if (*waiting > 0 || reply->isFinished())
            return;
        buckets->sort();
        reply->finishWithBucketNames(*buckets);
    };
    finishWhenDone();
    for (const QString &stream : std::as_const(unsure)) {
        JsApiReply *info = m_context->streamInfo(stream);
        connect(reply, &NatsReply::finished, info, [info] { info->abort(); });
        connect(info, &NatsReply::finished, reply, [info, stream, buckets, waiting, finishWhenDone] {
            info->deleteLater();
            --*waiting;
            // Not to be read (STREAM.INFO refused): listed, as before; gone since: not.
            const bool bucket = info->error() == NatsError::NoError ? keepsKeyHistory(info->streamInfo().config)
                                                                    : info->error() != NatsError::StreamNotFound;
            if (bucket)
                buckets->append(KvNames::bucketFromStream(stream));
            finishWhenDone();
        });
    }
}

KvReply *KvContext::bucketStatuses()
{
    KvReply *reply = newReply();
    if (!m_context)
        return reply;
    // Unfiltered, as bucketNames(): mirror buckets have no subjects.
    JsApiReply *list = m_context->listStreams();
    whenAnswered(reply, list, {}, [this, reply, list] {
        QList<KvBucketStatus> statuses;
        for (const JsStreamInfo &info : list->streams()) {
            if (!KvNames::bucketFromStream(info.config.name).isEmpty() && keepsKeyHistory(info.config)) {
                passOn(info);
                statuses.append(KvBucketStatus::fromStreamInfo(info));
            }
        }
        std::sort(statuses.begin(), statuses.end(),
                  [](const KvBucketStatus &a, const KvBucketStatus &b) { return a.bucket < b.bucket; });
        reply->finishWithStatuses(statuses);
    });
    return reply;
}

KvBucket *KvContext::bucket(const QString &name, QObject *parent)
{
    auto *bucket = new KvBucket(m_context, name, parent ? parent : this);
    bucket->setPermissions(m_permissions);
    m_buckets.removeAll(nullptr);
    m_buckets.append(bucket);
    // Just created here: bound from the create reply's config instead of asking STREAM.INFO again.
    // Taken once, so a bucket opened later asks the server for what is current then.
    if (const auto created = m_created.constFind(name); created != m_created.cend()) {
        bucket->bindTo(*created);
        m_created.erase(created);
    }
    return bucket;
}

void KvContext::setPermissions(const KvPermissions &permissions)
{
    m_permissions = permissions;
    for (const QPointer<KvBucket> &bucket : std::as_const(m_buckets)) {
        if (bucket)
            bucket->setPermissions(permissions);
    }
}

KvBucketEvents *KvContext::watchBuckets(QObject *parent)
{
    return new KvBucketEvents(m_context ? m_context->subscribeStreamAdvisories() : nullptr, parent ? parent : this);
}
