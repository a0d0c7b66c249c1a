#include "clicommand.h"

#include "clioutput.h"
#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvnames.h"
#include "kvunits.h"
#include "natsprotocolparser.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QIODevice>
#include <QtCore/QTimer>

#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

CliCommand::CliCommand(const Info &info, QObject *parent)
    : QObject(parent)
    , m_info(info)
{
}

CliCommand::~CliCommand() = default;

void CliCommand::addOptions(QCommandLineParser *parser)
{
    Q_UNUSED(parser)
}

void CliCommand::bindEarly(KvContext *context)
{
    m_kv = context;
    if (const QString name = boundBucket(); !name.isEmpty())
        bucket(name)->bindNow();
    readEarly();
}

void CliCommand::start(KvContext *context)
{
    m_kv = context;
    run();
}

KvContext *CliCommand::kv() const
{
    return m_kv;
}

KvBucket *CliCommand::bucket(const QString &name)
{
    if (!m_bucket || m_bucket->name() != name) {
        m_bucket = m_kv->bucket(name, this);
        if (m_writeRetryLimitMs >= 0)
            m_bucket->setWriteRetryLimit(m_writeRetryLimitMs);
    }
    return m_bucket;
}

QString CliCommand::describe(const NatsError &error)
{
    switch (error.code()) {
    case NatsError::PermissionsViolation:
    case NatsError::AuthorizationViolation:
    case NatsError::AuthenticationExpired:
        return tr("permission denied: %1").arg(error.message());
    case NatsError::InvalidUrl:
    case NatsError::NoServers:
    case NatsError::HostNotFound:
    case NatsError::ConnectionRefused:
    case NatsError::ConnectionTimeout:
    case NatsError::SocketError:
    case NatsError::TlsError:
    case NatsError::TlsNotAvailable:
    case NatsError::NotConnected:
    case NatsError::ConnectionClosed:
    case NatsError::ConnectionLost:
    case NatsError::CredentialsError:
        return tr("not connected: %1").arg(error.message());
    default:
        return error.message();
    }
}

void CliCommand::failWhenStalled(const QString &doing)
{
    const int timeoutMs = kv() && kv()->jetStream() ? kv()->jetStream()->timeout() : StreamingTimeoutMs;
    m_stallGuard = new QTimer(this);
    m_stallGuard->setInterval(std::min(timeoutMs, kStallTickMs));
    m_movesChecked = m_moves + m_out->stdoutWritten();
    m_quietFor.start();
    connect(m_stallGuard, &QTimer::timeout, this, [this, doing, timeoutMs] { checkStall(doing, timeoutMs); });
    m_stallGuard->start();
}

void CliCommand::moved()
{
    ++m_moves;
    if (std::exchange(m_silenceSaid, false)) // said at once: the command may end before the next check
        m_out->note(tr("kvdesk-cli: nats-server is answering again"));
}

void CliCommand::checkStall(const QString &doing, int timeoutMs)
{
    const qint64 now = m_moves + m_out->stdoutWritten();
    if (now != std::exchange(m_movesChecked, now)) {
        m_quietFor.start();
        return;
    }
    if (m_quietFor.elapsed() >= timeoutMs) {
        fail(tr("nats-server sent nothing for %1 while %2: given up (is the server stopped, or unreachable?)")
                 .arg(KvUnits::goDuration(qint64(timeoutMs) * 1000000), doing));
        return;
    }
    // A long wait (a minute, where no --timeout was given) is said once it has lasted the usual timeout:
    // a command that only waits looks hung.
    if (!m_silenceSaid && timeoutMs > kSilenceSaidAfterMs && m_quietFor.elapsed() >= kSilenceSaidAfterMs) {
        m_silenceSaid = true;
        m_out->note(tr("kvdesk-cli: nats-server has sent nothing for %1 while %2; waiting up to %3 (--timeout "
                       "sets how long)")
                        .arg(KvUnits::goDuration(qint64(kSilenceSaidAfterMs) * 1000000), doing,
                             KvUnits::goDuration(qint64(timeoutMs) * 1000000)));
    }
}

void CliCommand::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_stallGuard)
        m_stallGuard->stop();
    Q_EMIT finished(exitCode);
}

QString CliCommand::cannotAsk(const QString &question)
{
    return tr("\"%1\" needs a confirmation, and stdin is not a terminal: pass -f to go ahead without asking")
        .arg(question);
}

void CliCommand::askThen(const std::function<void()> &onYes)
{
    if (m_forced) {
        onYes();
        return;
    }
    switch (m_out->confirm(confirmation())) {
    case CliOutput::Answer::Yes:
        onYes();
        return;
    case CliOutput::Answer::No:
        m_out->note(declinedMessage());
        finish(Success);
        return;
    case CliOutput::Answer::NoTerminal: // CliApplication refused this before connecting
        fail(cannotAsk(confirmation()), UsageError);
        return;
    }
}

void CliCommand::fail(const NatsError &error)
{
    QString message = describe(error);
    // No JetStream behind a domain or API prefix of the user's (the library names it): say where it is set.
    const JetStreamContext *js = m_kv ? m_kv->jetStream() : nullptr;
    if (error.code() == NatsError::JetStreamNotEnabled && js && !js->domain().isEmpty())
        message += tr(" (check --js-domain, NATS_JS_DOMAIN or the context's jetstream_domain)");
    else if (error.code() == NatsError::JetStreamNotEnabled && js && js->apiPrefix() != "$JS.API.")
        message += tr(" (check the context's jetstream_api_prefix)");
    fail(message);
}

void CliCommand::fail(const QString &message, int exitCode)
{
    if (m_finished)
        return;
    m_out->error(message);
    finish(exitCode);
}

void CliCommand::whenDone(KvReply *reply, const std::function<void(KvReply *)> &onSuccess,
                          const std::function<bool(KvReply *)> &onError)
{
    const auto done = [this, reply, onSuccess, onError] {
        reply->deleteLater();
        if (reply->error() == NatsError::NoError)
            onSuccess(reply);
        else if (!onError || !onError(reply))
            fail(reply->errorInfo());
    };
    if (reply->isFinished())
        done();
    else
        connect(reply, &NatsReply::finished, this, done);
}

void CliCommand::whenWritten(KvReply *reply, const QString &key, quint64 expectedRevision,
                             const std::function<void(KvReply *)> &onSuccess)
{
    const auto written = [this, onSuccess](KvReply *done) {
        noteWrittenThroughMirror();
        onSuccess(done);
    };
    whenDone(reply, written, [this, key, expectedRevision](KvReply *refused) {
        if (refused->error() != NatsError::WrongRevision || expectedRevision == 0)
            return false;
        fail(refused->currentRevision() == 0
                 ? tr("wrong revision for key \"%1\": expected %2, but the key has no value")
                       .arg(key)
                       .arg(expectedRevision)
                 : tr("wrong revision for key \"%1\": expected %2, the current revision is %3")
                       .arg(key)
                       .arg(expectedRevision)
                       .arg(refused->currentRevision()));
        return true;
    });
}

// A write through a mirror goes to its origin, as in every official client, which do it without a word:
// the revision printed is the origin's, and the mirror shows the write only once it has copied it.
void CliCommand::noteWrittenThroughMirror()
{
    if (!m_bucket)
        return;
    const QString origin = KvNames::sourceBucket(m_bucket->boundStatus().config.mirror.name);
    if (origin.isEmpty())
        return;
    out()->note(tr("kvdesk-cli: note: bucket \"%1\" mirrors \"%2\": the write went to \"%2\", and \"%1\" holds it "
                   "once it has copied it")
                    .arg(m_bucket->name(), origin));
}

QCommandLineOption CliCommand::revisionGuardOption()
{
    return QCommandLineOption(u"revision"_s,
                              tr("Only if the key is still at revision N: refused, saying its revision, when "
                                 "someone changed it since"),
                              u"N"_s);
}

QString CliCommand::checkBucket(const QString &bucket)
{
    return KvNames::validateBucketName(bucket);
}

QString CliCommand::checkKey(const QString &key, const QString &bucket)
{
    return KvNames::validateKey(key, bucket);
}

QString CliCommand::checkExistingKey(const QString &key, const QString &bucket)
{
    return KvNames::validateExistingKey(key, bucket);
}

QString CliCommand::readValue(QIODevice *input, const QString &source, QByteArray *value)
{
    constexpr qint64 kChunk = 64 * 1024;
    value->clear();
    while (value->size() <= NatsProtocolParser::LargestServerMaxPayload) {
        const qsizetype before = value->size();
        value->resize(before + kChunk);
        const qint64 got = input->read(value->data() + before, kChunk);
        value->resize(before + std::max<qint64>(got, 0));
        if (got < 0)
            return tr("cannot read %1: %2").arg(source, input->errorString());
        if (got == 0)
            return {}; // the end
    }
    value->clear();
    return tr("%1 is larger than 64 MiB, the most a NATS server accepts in one message").arg(source);
}

QString CliCommand::parseRevision(const QString &text, quint64 *revision)
{
    bool ok = false;
    *revision = text.toULongLong(&ok);
    // The API's JSON carries sequences as Go's uint64, but the client's and the servers' checks stop at a
    // signed 64-bit number (2^64 - 1 went out as -1): no stream gets there.
    if (!ok || *revision == 0 || *revision > quint64(std::numeric_limits<qint64>::max()))
        return tr("invalid revision \"%1\": a revision is a number from 1 to %2")
            .arg(text)
            .arg(std::numeric_limits<qint64>::max());
    return {};
}
