#include "cliconnection.h"

#include "jetstreamcontext.h"
#include "kvcontext.h"
#include "kvunits.h"
#include "natsclicontext.h"
#include "natsconnection.h"

#include <QtCore/QCommandLineParser>

using namespace Qt::StringLiterals;

namespace {

struct GlobalOption
{
    const char *name;
    const char *valueName;
    const char *description;
};

const GlobalOption kOptions[] = {
    {"server", "URL", "NATS server URLs, comma separated (env NATS_URL; default nats://127.0.0.1:4222)"},
    {"user", "USER", "User name (env NATS_USER)"},
    {"password", "PASSWORD", "Password (env NATS_PASSWORD)"},
    {"token", "TOKEN", "Authentication token (env NATS_TOKEN)"},
    {"creds", "FILE", "User credentials file, JWT and seed (env NATS_CREDS)"},
    {"nkey", "FILE", "File holding a user NKEY seed (env NATS_NKEY)"},
    {"tlscert", "FILE", "TLS client certificate (env NATS_CERT)"},
    {"tlskey", "FILE", "TLS client key (env NATS_KEY)"},
    {"tlsca", "FILE", "TLS certificate authority chain (env NATS_CA)"},
    {"js-domain", "DOMAIN", "JetStream domain (env NATS_JS_DOMAIN)"},
    {"timeout", "DURATION", "Time to wait for the server and for each request (env NATS_TIMEOUT; default 5s)"},
    {"context", "NAME", "natscli context to use (env NATS_CONTEXT; default the selected one)"},
};

} // namespace

CliConnection::CliConnection(QObject *parent)
    : QObject(parent)
{
}

CliConnection::~CliConnection() = default;

void CliConnection::addOptions(QCommandLineParser *parser)
{
    for (const GlobalOption &option : kOptions) {
        QStringList names{QString::fromLatin1(option.name)};
        if (names.first() == "server"_L1)
            names.prepend(u"s"_s);
        parser->addOption(
            QCommandLineOption(names, QString::fromLatin1(option.description), QString::fromLatin1(option.valueName)));
    }
}

QStringList CliConnection::valueOptionNames()
{
    QStringList names{u"s"_s};
    for (const GlobalOption &option : kOptions)
        names.append(QString::fromLatin1(option.name));
    return names;
}

QString CliConnection::setting(const QCommandLineParser &parser, const QString &option, const char *environment) const
{
    if (parser.isSet(option))
        return parser.value(option);
    return qEnvironmentVariable(environment);
}

bool CliConnection::loadContext(const QCommandLineParser &parser, QString *error)
{
    QString name = setting(parser, u"context"_s, "NATS_CONTEXT");
    if (name.isEmpty())
        name = NatsCliContext::selectedName();
    if (name.isEmpty()) {
        m_options = NatsConnectOptions::fromUrl(QString::fromLatin1(NatsCliContext::DefaultUrl));
        return true;
    }
    NatsCliContext context;
    if (!NatsCliContext::load(name, &context, error))
        return false;
    m_options = context.toConnectOptions();
    m_domain = context.jetStreamDomain;
    m_apiPrefix = context.jetStreamApiPrefix;
    return true;
}

bool CliConnection::configure(const QCommandLineParser &parser, QString *error, bool *usageError)
{
    *usageError = false;
    if (!loadContext(parser, error))
        return false;
    *usageError = true;
    const QString servers = setting(parser, u"server"_s, "NATS_URL");
    if (!servers.isEmpty()) {
        QString problem;
        if (!NatsConnectOptions::parseServers(servers, &m_options.servers, &problem)) {
            *error = tr("invalid --server: %1").arg(problem);
            return false;
        }
        m_options.serversText = servers;
    }
    const auto override = [&](QString *field, const QString &option, const char *environment) {
        const QString value = setting(parser, option, environment);
        if (!value.isEmpty())
            *field = value;
    };
    override(&m_options.user, u"user"_s, "NATS_USER");
    override(&m_options.password, u"password"_s, "NATS_PASSWORD");
    override(&m_options.token, u"token"_s, "NATS_TOKEN");
    override(&m_options.credentialsFile, u"creds"_s, "NATS_CREDS");
    override(&m_options.nkeyFile, u"nkey"_s, "NATS_NKEY");
    override(&m_options.tlsCertFile, u"tlscert"_s, "NATS_CERT");
    override(&m_options.tlsKeyFile, u"tlskey"_s, "NATS_KEY");
    override(&m_options.tlsCaFile, u"tlsca"_s, "NATS_CA");
    override(&m_domain, u"js-domain"_s, "NATS_JS_DOMAIN");
    m_options.tlsRequired = m_options.tlsRequired || !m_options.tlsCertFile.isEmpty() || !m_options.tlsCaFile.isEmpty();
    if (!m_options.tlsCertFile.isEmpty() && m_options.tlsKeyFile.isEmpty()) {
        *error = tr("--tlscert needs --tlskey");
        return false;
    }

    const QString timeout = setting(parser, u"timeout"_s, "NATS_TIMEOUT");
    if (!timeout.isEmpty()) {
        qint64 ns = 0;
        if (!KvUnits::parseDuration(timeout, &ns, error))
            return false;
        if (ns < KvUnits::NsPerMs) {
            *error = tr("--timeout must be at least 1ms, not %1").arg(timeout);
            return false;
        }
        m_timeoutMs = int(std::min<qint64>(ns / KvUnits::NsPerMs, 24 * 3600 * 1000));
        m_timeoutGiven = true;
    }
    m_requestTimeoutMs = m_timeoutMs;
    m_options.name = u"kvdesk-cli"_s;
    m_options.connectTimeoutMs = m_timeoutMs;
    m_options.requestTimeoutMs = m_requestTimeoutMs;
    return true;
}

void CliConnection::setRequestTimeout(int milliseconds)
{
    m_requestTimeoutMs = milliseconds;
    m_options.requestTimeoutMs = milliseconds;
}

void CliConnection::open()
{
    m_connection = new NatsConnection(this);
    m_jetStream = new JetStreamContext(m_connection, this);
    m_jetStream->setTimeout(m_requestTimeoutMs);
    if (!m_apiPrefix.isEmpty())
        m_jetStream->setApiPrefix(m_apiPrefix);
    else if (!m_domain.isEmpty())
        m_jetStream->setDomain(m_domain);
    m_kv = new KvContext(m_jetStream, this);

    connect(m_connection, &NatsConnection::connected, this, &CliConnection::ready);
    connect(m_connection, &NatsConnection::closed, this, [this] {
        // Only a first connect that never succeeded ends here before ready(); later closes are the
        // command's business (its replies fail with ConnectionClosed).
        if (!m_connection->lastError().isError())
            return;
        Q_EMIT failed(m_connection->lastError());
    });
    m_connection->connectToServer(m_options);
}
