#include "cliconnection.h"

#include "clioutput.h"
#include "kvunits.h"
#include "natsclicontext.h"
#include "natstlsconfig.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFile>

#include <algorithm>
#include <cstdio>
#include <termios.h>
#include <unistd.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

struct GlobalOption
{
    const char *name;
    const char *valueName; // nullptr: a switch
    const char *description;
};

const GlobalOption kOptions[] = {
    {"server", "URL", "NATS server URLs, comma separated (env NATS_URL; default nats://127.0.0.1:4222)"},
    {"user", "USER", "User name (env NATS_USER)"},
    {"password", "PASSWORD", "Password (env NATS_PASSWORD); visible to other users in ps, unlike the others"},
    {"password-file", "FILE",
     "Password from the first line of FILE; with --user and no password, it is asked "
     "for when stdin is a terminal"},
    {"token", "TOKEN", "Authentication token (env NATS_TOKEN)"},
    {"creds", "FILE", "User credentials file, JWT and seed (env NATS_CREDS)"},
    {"nkey", "FILE", "File holding a user NKEY seed (env NATS_NKEY)"},
    {"tlscert", "FILE", "TLS client certificate, or its chain (env NATS_CERT)"},
    {"tlskey", "FILE", "TLS client key (env NATS_KEY)"},
    {"tlskey-password-file", "FILE",
     "Passphrase of an encrypted --tlskey, from the first line of FILE (asked for "
     "when stdin is a terminal)"},
    {"tlsca", "FILE", "TLS certificate authority chain (env NATS_CA)"},
    {"tlsfirst", nullptr, "TLS handshake before the server's INFO (nats-server 2.10+ with handshake_first)"},
    {"js-domain", "DOMAIN", "JetStream domain (env NATS_JS_DOMAIN)"},
    {"inbox-prefix", "PREFIX", "Prefix of the reply inboxes, for a user confined to a private inbox (default _INBOX)"},
    {"timeout", "DURATION", "Time to wait for the server and for each request (env NATS_TIMEOUT; default 5s)"},
    {"context", "NAME", "natscli context to use (env NATS_CONTEXT; default the selected one)"},
};

// The ways to authenticate, by the flag (and variable) giving each: user and password are one way.
struct CredentialSetting
{
    const char *option;
    const char *environment; // nullptr: none
    int way;
};

constexpr CredentialSetting kCredentialSettings[] = {{"user", "NATS_USER", 0},      {"password", "NATS_PASSWORD", 0},
                                                     {"password-file", nullptr, 0}, {"token", "NATS_TOKEN", 1},
                                                     {"nkey", "NATS_NKEY", 2},      {"creds", "NATS_CREDS", 3}};

constexpr std::pair<const char *, const char *> kFileSettings[] = {{"creds", "NATS_CREDS"},
                                                                   {"nkey", "NATS_NKEY"},
                                                                   {"tlscert", "NATS_CERT"},
                                                                   {"tlskey", "NATS_KEY"},
                                                                   {"tlsca", "NATS_CA"}};

// The first line of the file at path, without its line end: a secret kept out of the command line.
bool readSecretFile(const QString &option, const QString &path, QByteArray *secret, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = CliConnection::tr("cannot read --%1 %2: %3").arg(option, path, file.errorString());
        return false;
    }
    *secret = file.readLine(64 * 1024);
    while (secret->endsWith('\n') || secret->endsWith('\r'))
        secret->chop(1);
    return true;
}

// Asks on the terminal with echo off, as passwd and ssh do; the answer without its line end.
QByteArray askHidden(const QString &prompt)
{
    termios saved = {};
    const bool terminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    const QByteArray text = prompt.toLocal8Bit();
    if (::write(STDERR_FILENO, text.constData(), size_t(text.size())) < 0)
        return {};
    char line[4096] = {};
    const bool read = std::fgets(line, sizeof line, stdin) != nullptr;
    if (terminal)
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    if (::write(STDERR_FILENO, "\n", 1) < 0) // the Enter was not echoed
        return {};
    QByteArray answer = read ? QByteArray(line) : QByteArray();
    std::fill(std::begin(line), std::end(line), '\0');
    while (answer.endsWith('\n') || answer.endsWith('\r'))
        answer.chop(1);
    return answer;
}

} // namespace

void CliConnection::addOptions(QCommandLineParser *parser)
{
    for (const GlobalOption &option : kOptions) {
        QStringList names{QString::fromLatin1(option.name)};
        if (names.first() == "server"_L1)
            names.prepend(u"s"_s);
        const QString description = QString::fromLatin1(option.description);
        parser->addOption(option.valueName
                              ? QCommandLineOption(names, description, QString::fromLatin1(option.valueName))
                              : QCommandLineOption(names, description));
    }
}

QStringList CliConnection::valueOptionNames()
{
    QStringList names{u"s"_s};
    for (const GlobalOption &option : kOptions) {
        if (option.valueName)
            names.append(QString::fromLatin1(option.name));
    }
    return names;
}

// The files the library reads when it connects. One that cannot be read is refused before, as a usage
// error naming where it was given, as --password-file and --proto are: not as "not connected" later.
bool CliConnection::checkReadable(const QCommandLineParser &parser, const QString &option, const char *environment,
                                  QString *error) const
{
    const QString path = setting(parser, option, environment);
    if (path.isEmpty())
        return true;
    QFile file(path);
    if (file.open(QIODevice::ReadOnly))
        return true;
    *error = tr("cannot read %1 %2: %3").arg(source(parser, option, environment), path, file.errorString());
    return false;
}

QString CliConnection::setting(const QCommandLineParser &parser, const QString &option, const char *environment) const
{
    if (parser.isSet(option))
        return parser.value(option);
    return qEnvironmentVariable(environment);
}

// Where setting() took a value from, for a message about it: a bad NATS_TIMEOUT blamed on --timeout sent
// the user looking for a flag never given. Neither flag nor variable: the context's value, said as such.
QString CliConnection::source(const QCommandLineParser &parser, const QString &option, const char *environment,
                              const QString &inContext)
{
    if (parser.isSet(option))
        return u"--"_s + option;
    if (!qEnvironmentVariableIsEmpty(environment))
        return QString::fromLatin1(environment);
    return inContext;
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
    // An empty --server is most likely a script's unset variable (-s "$URL"): read as not given, it
    // connected to whatever runs at nats://127.0.0.1:4222.
    if (parser.isSet(u"server"_s) && parser.value(u"server"_s).trimmed().isEmpty()) {
        *error = tr("invalid --server: empty (leave it out for NATS_URL, the context or %1)")
                     .arg(QString::fromLatin1(NatsCliContext::DefaultUrl));
        return false;
    }
    const QString servers = setting(parser, u"server"_s, "NATS_URL");
    if (!servers.isEmpty()) {
        QString problem;
        if (!NatsConnectOptions::parseServers(servers, &connection.servers, &problem)) {
            *error = tr("invalid %1: %2").arg(source(parser, u"server"_s, "NATS_URL"), problem);
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
    override(&connection.token, u"token"_s, "NATS_TOKEN");
    override(&connection.credentialsFile, u"creds"_s, "NATS_CREDS");
    override(&connection.nkeyFile, u"nkey"_s, "NATS_NKEY");
    override(&connection.tlsCertFile, u"tlscert"_s, "NATS_CERT");
    override(&connection.tlsKeyFile, u"tlskey"_s, "NATS_KEY");
    override(&connection.tlsCaFile, u"tlsca"_s, "NATS_CA");
    override(&m_options.jetStreamDomain, u"js-domain"_s, "NATS_JS_DOMAIN");
    if (parser.isSet(u"inbox-prefix"_s))
        connection.inboxPrefix = parser.value(u"inbox-prefix"_s);
    if (const QString problem = NatsConnectOptions::validateInboxPrefix(connection.inboxPrefix);
        !connection.inboxPrefix.isEmpty() && !problem.isEmpty()) {
        *error = tr("invalid %1: %2")
                     .arg(parser.isSet(u"inbox-prefix"_s) ? u"--inbox-prefix"_s : tr("inbox_prefix in the context"),
                          problem);
        return false;
    }
    for (const auto &[option, environment] : kFileSettings) {
        if (!checkReadable(parser, QLatin1StringView(option), environment, error))
            return false;
    }
    if (!configureCredentials(parser, error) || !configurePassword(parser, error) || !configureTls(parser, error)
        || !configureTimeout(parser, error))
        return false;
    connection.name = u"kvdesk-cli"_s;
    connection.connectTimeoutMs = m_timeoutMs;
    setRequestTimeout(m_timeoutMs);
    return true;
}

bool CliConnection::givesCredentials(const NatsConnectOptions &connection)
{
    const bool inUrl = std::any_of(connection.servers.cbegin(), connection.servers.cend(),
                                   [](const QUrl &url) { return !url.userName().isEmpty(); });
    return inUrl || !connection.user.isEmpty() || !connection.token.isEmpty() || !connection.nkeySeed.isEmpty()
        || !connection.nkeyFile.isEmpty() || !connection.credentialsFile.isEmpty() || !connection.userJwt.isEmpty()
        || !connection.tlsCertFile.isEmpty();
}

// Two ways to authenticate given at once (--user and --token, NATS_TOKEN and --creds) cannot both be
// meant: refused before connecting, naming both, rather than sent together for the server to pick one.
// One given by a flag or variable replaces the context's others, as a flag beats the context everywhere.
bool CliConnection::configureCredentials(const QCommandLineParser &parser, QString *error)
{
    QString first;
    int way = -1;
    for (const CredentialSetting &setting : kCredentialSettings) {
        const QString option = QString::fromLatin1(setting.option);
        const bool inEnvironment = setting.environment && !qEnvironmentVariableIsEmpty(setting.environment);
        if (!parser.isSet(option) && !inEnvironment)
            continue;
        const QString where = parser.isSet(option) ? u"--"_s + option : QString::fromLatin1(setting.environment);
        if (way < 0) {
            first = where;
            way = setting.way;
        } else if (setting.way != way) {
            *error = tr("%1 and %2: give one way to authenticate").arg(first, where);
            return false;
        }
    }
    NatsConnectOptions &connection = m_options.connection;
    if (way < 0)
        return true;
    if (way != 0) {
        connection.user.clear();
        connection.password.clear();
    }
    if (way != 1)
        connection.token.clear();
    if (way != 2) {
        connection.nkeyFile.clear();
        connection.nkeySeed.clear();
    }
    if (way != 3) {
        connection.credentialsFile.clear();
        connection.userJwt.clear();
        connection.userSeed.clear();
    }
    return true;
}

// --password, else --password-file, else NATS_PASSWORD, else the context; a user without any is asked
// for it on a terminal (ps shows a --password to every user of the machine).
bool CliConnection::configurePassword(const QCommandLineParser &parser, QString *error)
{
    NatsConnectOptions &connection = m_options.connection;
    if (parser.isSet(u"password"_s) && parser.isSet(u"password-file"_s)) {
        *error = tr("--password and --password-file: give one of them");
        return false;
    }
    if (parser.isSet(u"password-file"_s)) {
        QByteArray secret;
        if (!readSecretFile(u"password-file"_s, parser.value(u"password-file"_s), &secret, error))
            return false;
        connection.password = QString::fromUtf8(secret);
        secret.fill('\0');
    } else {
        const QString value = setting(parser, u"password"_s, "NATS_PASSWORD");
        if (!value.isEmpty())
            connection.password = value;
    }
    const bool urlCredentials = std::any_of(connection.servers.cbegin(), connection.servers.cend(),
                                            [](const QUrl &url) { return !url.userName().isEmpty(); });
    const bool otherCredentials = !connection.token.isEmpty() || !connection.credentialsFile.isEmpty()
        || !connection.nkeyFile.isEmpty() || !connection.userJwt.isEmpty();
    const bool asked = !connection.user.isEmpty() && connection.password.isEmpty() && !urlCredentials
        && !otherCredentials && !parser.isSet(u"password"_s); // --password '': an empty one on purpose
    if (asked && !CliOutput::stdinIsTerminal()) {
        *error = tr("no password given for user %1 and stdin is not a terminal: use --password-file or NATS_PASSWORD")
                     .arg(connection.user);
        return false;
    }
    if (asked)
        connection.password = QString::fromLocal8Bit(askHidden(tr("Password for %1: ").arg(connection.user)));
    return checkPasswordHasUser(parser, urlCredentials, error);
}

// A password with no user is sent as nothing the server can match: said before connecting, naming where
// the password came from, instead of the server's "Authorization Violation".
bool CliConnection::checkPasswordHasUser(const QCommandLineParser &parser, bool urlCredentials, QString *error) const
{
    const NatsConnectOptions &connection = m_options.connection;
    if (connection.password.isEmpty() || !connection.user.isEmpty() || urlCredentials)
        return true;
    const QString where = parser.isSet(u"password-file"_s)
        ? u"--password-file"_s
        : source(parser, u"password"_s, "NATS_PASSWORD", tr("the context's password"));
    *error = tr("%1 needs --user (or NATS_USER)").arg(where);
    return false;
}

// Any TLS setting means TLS, as natscli and nats.go have it: a server offering none gets nothing.
bool CliConnection::configureTls(const QCommandLineParser &parser, QString *error)
{
    NatsConnectOptions &connection = m_options.connection;
    connection.tlsFirst = connection.tlsFirst || parser.isSet(u"tlsfirst"_s);
    connection.tlsRequired = connection.tlsRequired || connection.tlsFirst || !connection.tlsCertFile.isEmpty()
        || !connection.tlsKeyFile.isEmpty() || !connection.tlsCaFile.isEmpty();
    if (connection.tlsCertFile.isEmpty() != connection.tlsKeyFile.isEmpty()) {
        *error = connection.tlsKeyFile.isEmpty()
            ? tr("%1 needs --tlskey (or NATS_KEY)")
                  .arg(source(parser, u"tlscert"_s, "NATS_CERT", tr("the context's certificate")))
            : tr("%1 needs --tlscert (or NATS_CERT)")
                  .arg(source(parser, u"tlskey"_s, "NATS_KEY", tr("the context's key")));
        return false;
    }
    if (parser.isSet(u"tlskey-password-file"_s))
        return readSecretFile(u"tlskey-password-file"_s, parser.value(u"tlskey-password-file"_s),
                              &connection.tlsKeyPassphrase, error);
    if (connection.tlsKeyFile.isEmpty() || !NatsTlsConfig::isKeyEncrypted(connection.tlsKeyFile))
        return true;
    if (!CliOutput::stdinIsTerminal()) {
        *error = tr("the TLS key %1 is encrypted: give its passphrase with --tlskey-password-file FILE")
                     .arg(connection.tlsKeyFile);
        return false;
    }
    connection.tlsKeyPassphrase = askHidden(tr("Passphrase for the TLS key %1: ").arg(connection.tlsKeyFile));
    return true;
}

bool CliConnection::configureTimeout(const QCommandLineParser &parser, QString *error)
{
    const QString timeout = setting(parser, u"timeout"_s, "NATS_TIMEOUT");
    if (timeout.isEmpty())
        return true;
    const QString from = source(parser, u"timeout"_s, "NATS_TIMEOUT");
    qint64 ns = 0;
    if (!KvUnits::parseDuration(timeout, &ns, error)) {
        *error = tr("invalid %1: %2").arg(from, *error);
        return false;
    }
    if (ns < KvUnits::NsPerMs) {
        *error = tr("%1 must be at least 1ms, not %2").arg(from, timeout);
        return false;
    }
    m_timeoutMs = int(std::min<qint64>(ns / KvUnits::NsPerMs, 24 * 3600 * 1000));
    m_timeoutGiven = true;
    return true;
}

void CliConnection::setRequestTimeout(int milliseconds)
{
    m_options.connection.requestTimeoutMs = milliseconds;
    m_options.requestTimeoutMs = milliseconds;
}
