#include "cliwatchcommand.h"

#include "clijson.h"
#include "clioutput.h"
#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvbucketevents.h"
#include "kvcontext.h"
#include "kvformat.h"
#include "kvnames.h"
#include "kvunits.h"
#include "natsconnection.h"
#include "natsreply.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

WatchCommand::WatchCommand(QObject *parent)
    : CliCommand({u"watch"_s, {}, tr("Watch the bucket or some keys for changes"), u"BUCKET [KEY-FILTER...]"_s, 1, -1},
                 parent)
    , m_flushTimer(new QTimer(this))
    , m_probeTimer(new QTimer(this))
{
    // Entries arrive in bursts, many per socket read: lines are buffered and go out in one write once the
    // burst is handled (a zero timer runs when the event loop has nothing else to do), so a line still
    // appears at once when the watch is otherwise idle.
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(0);
    connect(m_flushTimer, &QTimer::timeout, this, [this] { out()->flush(); });
    m_probeTimer->setInterval(kProbeTickMs);
    connect(m_probeTimer, &QTimer::timeout, this, &WatchCommand::probeServer);
}

void WatchCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOptions({
        QCommandLineOption(u"history"_s, tr("Start with every kept revision instead of the latest per key")),
        QCommandLineOption(u"no-deletes"_s, tr("Skip delete and purge markers")),
        QCommandLineOption(u"updates"_s, tr("Only changes from now on, no initial values")),
        QCommandLineOption(u"revision"_s, tr("Start at this revision"), u"N"_s),
    });
}

QString WatchCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_filters = arguments.mid(1);
    if (m_filters.isEmpty())
        m_filters.append(u">"_s);
    QString problem = checkBucket(m_bucket);
    for (const QString &filter : std::as_const(m_filters)) {
        if (problem.isEmpty())
            problem = KvNames::validateKeyFilter(filter);
    }
    m_options.includeHistory = parser.isSet(u"history"_s);
    m_options.ignoreDeletes = parser.isSet(u"no-deletes"_s);
    m_options.updatesOnly = parser.isSet(u"updates"_s);
    m_getsEveryRevision = m_filters == QStringList{u">"_s} && !m_options.ignoreDeletes;
    if (problem.isEmpty() && parser.isSet(u"revision"_s))
        problem = parseRevision(parser.value(u"revision"_s), &m_options.resumeFromRevision);
    // Named as the user gave them (the library's own words are the window's labels).
    if (problem.isEmpty() && m_options.includeHistory && m_options.updatesOnly)
        problem = tr("--history and --updates cannot be combined");
    if (problem.isEmpty() && m_options.resumeFromRevision > 0 && (m_options.includeHistory || m_options.updatesOnly))
        problem = tr("--revision cannot be combined with --history or --updates");
    return problem.isEmpty() ? m_options.validate() : problem;
}

void WatchCommand::run()
{
    m_probeTimer->start();
    endWhenDeleted();
    // What the bucket's last revision is, read before the watch begins: revisions up to it are not expected
    // after the initial values, whether those came (they skip older revisions by design) or not. One removed
    // before the watch began (purged, compacted, expired, pushed out by the history limit) was never there
    // to miss, and was said to have gone by while the watch was behind (as the window had it, c481d8c).
    // Read first, not beside the watch: an answer after the first live entries would come too late to tell.
    // (Not for --updates: its consumer starts wherever the stream is when it is made.)
    const quint64 from = m_options.resumeFromRevision;
    m_lastBefore = from > 0 ? from - 1 : 0;
    if (from == 0 && (!m_getsEveryRevision || m_options.updatesOnly)) {
        startWatch();
        return;
    }
    KvReply *status = bucket(m_bucket)->status();
    connect(status, &NatsReply::finished, this, [this, status, from] {
        status->deleteLater();
        // Not read (not allowed, say): the watch goes on, measuring gaps from the initial values as before.
        if (status->error() == NatsError::NoError) {
            const quint64 last = status->status().streamInfo.state.lastSequence;
            m_lastBefore = std::max(m_lastBefore, last);
            noteWhenAhead(from, last);
        }
        startWatch();
    });
}

void WatchCommand::startWatch()
{
    KvWatcher *watcher = bucket(m_bucket)->watch(m_filters, m_options);
    connect(watcher, &KvWatcher::entryReceived, this, &WatchCommand::print);
    connect(watcher, &KvWatcher::initialValuesReceived, this, [this] {
        m_followingOn = true;
        if (!m_options.updatesOnly)
            m_lastPrinted = std::max(m_lastPrinted, m_lastBefore);
    });
    connect(watcher, &KvWatcher::errorOccurred, this,
            [this, watcher] { fail(NatsError(watcher->error(), watcher->errorString())); });
    connect(watcher, &KvWatcher::recovering, this, [this](quint64 fromRevision, const QString &reason) {
        out()->note(tr("kvdesk-cli: watch interrupted (%1): resuming from revision %2").arg(reason).arg(fromRevision));
        m_resumedAt = fromRevision;
    });
}

// --revision past the bucket's last revision waits for it to be written; the watch said nothing, as if the
// bucket were idle. Said once, from the stream's info; the watch goes on.
void WatchCommand::noteWhenAhead(quint64 from, quint64 last)
{
    if (from > 0 && last < from)
        out()->note(tr("kvdesk-cli: waiting for revision %1: bucket \"%2\" is at revision %3")
                        .arg(from)
                        .arg(m_bucket)
                        .arg(last));
}

// The account's stream advisory tells at once that the bucket was deleted. The server does not always
// send it (see JsOrderedConsumer::askWhetherConsumerExists()), and a user may not be allowed to listen:
// then the watch's consumer finds it at the first heartbeat missed, and fails with the same words.
void WatchCommand::endWhenDeleted()
{
    KvBucketEvents *events = kv()->watchBuckets(this);
    connect(events, &KvBucketEvents::bucketChanged, this, [this](const QString &name, KvBucketEvents::Change change) {
        if (name == m_bucket && change == KvBucketEvents::Change::Deleted) {
            out()->flush();
            fail(tr("bucket \"%1\" was deleted").arg(m_bucket));
        }
    });
}

// The library calls a connection stale after two unanswered pings, minutes apart; a server stopped with
// the connection open (SIGSTOP, a network dropping packets) left the watch silent that long. A PING every
// second tells: unanswered for kSilenceSaidAfterMs, it is said once, and again when it is answered.
// A connection that drops says so itself (reportConnectionChanges()).
void WatchCommand::probeServer()
{
    NatsConnection *connection = kv()->jetStream()->connection();
    if (!connection->isConnected()) {
        m_silenceSaid = false;
        m_unansweredSince.invalidate();
        m_lastAnswered.invalidate();
        return;
    }
    if (!m_silenceSaid && m_unansweredSince.isValid() && m_unansweredSince.hasExpired(kSilenceSaidAfterMs)) {
        m_silenceSaid = true;
        out()->note(tr("kvdesk-cli: nats-server has not answered for %1; the watch goes on when it does")
                        .arg(KvUnits::goDuration(qint64(kSilenceSaidAfterMs) * 1000000)));
    }
    // Asked again a tick after the last answer: asked only kSilenceSaidAfterMs after it, a server stopped
    // just after answering was said silent after twice that.
    if (m_probe || (m_lastAnswered.isValid() && !m_lastAnswered.hasExpired(kProbeTickMs)))
        return;
    NatsReply *probe = connection->flush();
    probe->setAutoDelete(true);
    m_probe = probe;
    if (!m_unansweredSince.isValid())
        m_unansweredSince.start();
    connect(probe, &NatsReply::finished, this, [this, probe] {
        if (probe->error() != NatsError::NoError)
            return; // timed out, asked again at the next tick; or the connection dropped
        m_unansweredSince.invalidate();
        m_lastAnswered.start();
        if (std::exchange(m_silenceSaid, false))
            out()->note(tr("kvdesk-cli: nats-server is answering again"));
    });
}

// Revisions that never come: the server dropped them (the history limit, a purge, a TTL) before the watch
// got them, while it was away (it resumes after the last revision it printed) or behind (its reader slower
// than the writers). An all-keys watch says which, as the window's gap row does.
void WatchCommand::noteWhatWentBy(quint64 first, quint64 last, bool away)
{
    if (first == last) {
        out()->note(away ? tr("kvdesk-cli: revision %1 went by while the watch was away: it is no longer on the server")
                               .arg(first)
                         : tr("kvdesk-cli: revision %1 went by while the watch was behind: it is no longer on the "
                              "server")
                               .arg(first));
        return;
    }
    out()->note((away ? tr("kvdesk-cli: revisions %1 to %2 went by while the watch was away: they are no longer on "
                           "the server")
                      : tr("kvdesk-cli: revisions %1 to %2 went by while the watch was behind: they are no longer "
                           "on the server"))
                    .arg(first)
                    .arg(last));
}

void WatchCommand::print(const KvEntry &entry)
{
    if (const quint64 resumedAt = std::exchange(m_resumedAt, 0); resumedAt > 0) {
        if (m_getsEveryRevision && entry.revision > resumedAt)
            noteWhatWentBy(resumedAt, entry.revision - 1, true);
    } else if (m_getsEveryRevision && m_followingOn && m_lastPrinted > 0 && entry.revision > m_lastPrinted + 1) {
        noteWhatWentBy(m_lastPrinted + 1, entry.revision - 1, false);
    }
    m_lastPrinted = std::max(m_lastPrinted, entry.revision);
    if (out()->json())
        out()->printJson(CliJson::entry(entry, true));
    else
        appendLine(out()->pending(), entry);
    out()->flushIfFull();
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

// natscli's lines, "[2006-01-02 15:04:05] PUT bucket > key: value" and "[...] DELETE bucket > key", built as
// bytes: a QString per field and a QDateTime conversion per line made the watch slower than the stream.
void WatchCommand::appendLine(QByteArray *text, const KvEntry &entry)
{
    if (entry.bucket != m_lineBucket) {
        m_lineBucket = entry.bucket;
        m_lineBucketUtf8 = entry.bucket.toUtf8();
    }
    text->append('[');
    if (entry.created.isValid())
        KvFormat::appendLocalTime(text, entry.created.toMSecsSinceEpoch());
    text->append("] ");
    if (!entry.isDeleted())
        text->append("PUT ");
    else if (entry.isLimitMarker())
        text->append(entry.operationLabel().toUtf8() + ' ');
    else
        text->append(entry.operation == KvEntry::Operation::Purge ? "PURGE " : "DELETE ");
    text->append(m_lineBucketUtf8);
    text->append(" > ");
    KvFormat::appendUtf8(text, KvNames::displayKey(entry.key));
    if (!entry.isDeleted()) {
        text->append(": ");
        KvFormat::appendValueText(text, entry.value);
    }
    text->append('\n');
}
