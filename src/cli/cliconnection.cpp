#include "cliconnection.h"

#include "kvunits.h"
#include "natsclicontext.h"

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
        m_options = KvClientOptions::fromUrl(QString::fromLatin1(NatsCliContext::DefaultUrl));
        return true;
    }
    NatsCliContext context;
    if (!NatsCliContext::load(name, &context, error))
        return false;
    m_options = KvClientOptions::fromCliContext(context);
    return true;
}

bool CliConnection::configure(const QCommandLineParser &parser, QString *error, bool *usageError)
{
    *usageError = false;
    if (!loadContext(parser, error))
        return false;
    *usageError = true;
    NatsConnectOptions &connection = m_options.connection;
    const QString servers = setting(parser, u"server"_s, "NATS_URL");
    if (!servers.isEmpty()) {
        QString problem;
        if (!NatsConnectOptions::parseServers(servers, &connection.servers, &problem)) {
            *error = tr("invalid --server: %1").arg(problem);
            return false;
        }
        connection.serversText = servers;
    }
    const auto override = [&](QString *field, const QString &option, const char *environment) {
        const QString value = setting(parser, option, environment);
        if (!value.isEmpty())
            *field = value;
    };
    override(&connection.user, u"user"_s, "NATS_USER");
    override(&connection.password, u"password"_s, "NATS_PASSWORD");
    override(&connection.token, u"token"_s, "NATS_TOKEN");
    override(&connection.credentialsFile, u"creds"_s, "NATS_CREDS");
    override(&connection.nkeyFile, u"nkey"_s, "NATS_NKEY");
    override(&connection.tlsCertFile, u"tlscert"_s, "NATS_CERT");
    override(&connection.tlsKeyFile, u"tlskey"_s, "NATS_KEY");
    override(&connection.tlsCaFile, u"tlsca"_s, "NATS_CA");
    override(&m_options.jetStreamDomain, u"js-domain"_s, "NATS_JS_DOMAIN");
    connection.tlsRequired = connection.tlsRequired || !connection.tlsCertFile.isEmpty()
        || !connection.tlsCaFile.isEmpty();
    if (!connection.tlsCertFile.isEmpty() && connection.tlsKeyFile.isEmpty()) {
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
    connection.name = u"kvdesk-cli"_s;
    connection.connectTimeoutMs = m_timeoutMs;
    setRequestTimeout(m_timeoutMs);
    return true;
}

void CliConnection::setRequestTimeout(int milliseconds)
{
    m_options.connection.requestTimeoutMs = milliseconds;
    m_options.requestTimeoutMs = milliseconds;
}
