#include "natsconnectoptions.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

// The entries of a server list: text split on ",", except where a "," may be inside credentials. A
// password, user or token may hold a "," of its own ("nats://alice:ab,cdSecret@host"): then the piece after
// it has credentials and no scheme ("cdSecret@host"), and the piece before has no "@" of its own, so it
// would be taken for a server and shown as typed, part of the secret in clear. Such a piece is joined with
// those before it, back to the one with a scheme (or the first): one entry, its ","s kept, that is shown
// and stripped as one URL and refused by parseServers(). A server with credentials after a "," needs its
// scheme for that reason ("nats://h1,nats://alice:pw@h2"), and a "," in a secret is written %2C.
QStringList serverEntries(const QString &text)
{
    QStringList entries;
    qsizetype lastWithScheme = -1;
    const QStringList pieces = text.split(u',');
    for (const QString &piece : pieces) {
        const bool hasScheme = piece.contains("://"_L1);
        if (!entries.isEmpty() && !hasScheme && piece.contains(u'@')) {
            const qsizetype first = std::max<qsizetype>(lastWithScheme, 0);
            const QString joined = entries.mid(first).join(u',') + u',' + piece;
            entries.resize(first);
            entries.append(joined);
            continue;
        }
        if (hasScheme)
            lastWithScheme = entries.size();
        entries.append(piece);
    }
    return entries;
}

// Where the userinfo of a URL (parsable or not) starts, and its "@" (< start when it has none): what
// lies before the last "@". Not only of the authority: a password with an unencoded "/", "?" or "#"
// ends the authority for a URL parser, but is still the user's secret, and is hidden as one.
qsizetype userInfoStart(const QString &entry, qsizetype *at)
{
    const qsizetype scheme = entry.indexOf("://"_L1);
    const qsizetype start = scheme < 0 ? 0 : scheme + 3;
    *at = entry.lastIndexOf(u'@');
    return start;
}

QString redactedUrl(const QString &entry)
{
    qsizetype at = -1;
    const qsizetype start = userInfoStart(entry, &at);
    if (at < start)
        return entry;
    const qsizetype colon = entry.indexOf(u':', start);
    const qsizetype secret = colon >= 0 && colon < at ? colon + 1 : start; // no password: a token
    return entry.left(secret) + "***"_L1 + entry.mid(at);
}

// The "host[:port]" of "scheme://[user@]host[:port][/...]".
QStringView hostAndPort(const QString &url)
{
    QStringView authority = QStringView(url).mid(url.indexOf("://"_L1) + 3);
    authority = authority.left(authority.indexOf(u'/') < 0 ? authority.size() : authority.indexOf(u'/'));
    return authority.mid(authority.lastIndexOf(u'@') + 1);
}

// Whether the host is digits alone: QUrl reads "14293" as the IPv4 address 0.0.55.213, where the user meant
// a port.
bool hostIsANumber(const QString &url)
{
    const QStringView authority = hostAndPort(url);
    const QStringView host = authority.left(authority.indexOf(u':') < 0 ? authority.size() : authority.indexOf(u':'));
    return !host.isEmpty() && std::all_of(host.begin(), host.end(), [](QChar c) { return c.isDigit(); });
}

// The port when it is a number outside 1..65535 (QUrl only says the URL is invalid).
std::optional<qint64> portOutOfRange(const QString &url)
{
    const QStringView authority = hostAndPort(url);
    const qsizetype colon = authority.lastIndexOf(u':');
    if (colon < 0 || authority.indexOf(u']', colon) >= 0) // no port, or a colon inside [IPv6]
        return std::nullopt;
    bool isNumber = false;
    const qint64 port = authority.mid(colon + 1).toLongLong(&isNumber);
    if (!isNumber || (port >= 1 && port <= 65535))
        return std::nullopt;
    return port;
}

} // namespace

QString NatsConnectOptions::withoutUserInfo(const QString &text, QString *userInfo)
{
    userInfo->clear();
    QStringList entries = serverEntries(text);
    for (QString &entry : entries) {
        qsizetype at = -1;
        const qsizetype start = userInfoStart(entry, &at);
        if (at < start)
            continue;
        if (userInfo->isEmpty())
            *userInfo = entry.mid(start, at - start);
        entry.remove(start, at + 1 - start);
    }
    return entries.join(u',');
}

QString NatsConnectOptions::redactedUrls(const QString &text)
{
    QStringList entries = serverEntries(text);
    for (QString &entry : entries)
        entry = redactedUrl(entry);
    return entries.join(u',');
}

bool NatsConnectOptions::parseServers(const QString &text, QList<QUrl> *out, QString *errorMessage)
{
    const auto fail = [errorMessage](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return false;
    };
    QList<QUrl> urls;
    const QStringList entries = serverEntries(text);
    for (QString entry : entries) {
        entry = entry.trimmed();
        if (entry.isEmpty())
            continue;
        if (entry.contains(u',')) // see serverEntries(): which part is a server and which a secret is unknown
            return fail(QCoreApplication::translate("NatsConnectOptions",
                                                    "\"%1\" is not a valid server URL: a \",\" separates servers, so "
                                                    "one in a password, user or token must be written %2, and a "
                                                    "server with credentials after a \",\" needs its scheme "
                                                    "(nats://user:password@host)")
                            .arg(redactedUrl(entry), u"%2C"_s));
        if (!entry.contains("://"_L1))
            entry.prepend("nats://"_L1);
        if (hostIsANumber(entry))
            return fail(QCoreApplication::translate("NatsConnectOptions",
                                                    "\"%1\" is not a valid server URL: a host is not a bare number "
                                                    "(a port goes after the host: nats://127.0.0.1:4222)")
                            .arg(redactedUrl(entry)));
        QUrl url(entry, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (const std::optional<qint64> port = portOutOfRange(entry)) // no server listens on port 0 either
            return fail(QCoreApplication::translate("NatsConnectOptions",
                                                    "\"%1\" is not a valid server URL: port %2 is out of range (1 to "
                                                    "65535)")
                            .arg(redactedUrl(entry))
                            .arg(*port));
        if (!url.isValid() || url.host().isEmpty())
            return fail(QCoreApplication::translate("NatsConnectOptions", "\"%1\" is not a valid server URL")
                            .arg(redactedUrl(entry)));
        if (scheme != "nats"_L1 && scheme != "tls"_L1)
            return fail(QCoreApplication::translate("NatsConnectOptions",
                                                    "\"%1\": unsupported scheme \"%2\" (use nats:// or tls://)")
                            .arg(redactedUrl(entry), url.scheme()));
        if (!url.path().isEmpty() && url.path() != "/"_L1)
            return fail(QCoreApplication::translate("NatsConnectOptions", "\"%1\": a server URL has no path")
                            .arg(redactedUrl(entry)));
        url.setScheme(scheme);
        url.setPath({});
        if (url.port() < 0)
            url.setPort(DefaultPort);
        urls.append(url);
    }
    if (urls.isEmpty())
        return fail(QCoreApplication::translate("NatsConnectOptions", "no server URL given"));
    *out = urls;
    return true;
}

NatsConnectOptions NatsConnectOptions::fromUrl(const QString &servers)
{
    NatsConnectOptions options;
    options.serversText = servers;
    parseServers(servers, &options.servers, nullptr);
    return options;
}

QString NatsConnectOptions::validateInboxPrefix(const QString &prefix)
{
    QString tokens = prefix;
    if (tokens.endsWith(u'.'))
        tokens.chop(1);
    if (tokens.isEmpty())
        return QCoreApplication::translate("NatsConnectOptions", "an inbox prefix cannot be empty");
    for (const QString &token : tokens.split(u'.')) {
        const bool bad = token.isEmpty() || token.contains(u'*') || token.contains(u'>')
            || std::any_of(token.cbegin(), token.cend(), [](QChar c) { return c.isSpace() || c.unicode() < 0x20; });
        if (bad)
            return QCoreApplication::translate("NatsConnectOptions",
                                               "inbox prefix \"%1\" is not a subject without wildcards, "
                                               "empty tokens or spaces")
                .arg(prefix);
    }
    return {};
}

QByteArray NatsConnectOptions::inboxPrefixOrDefault() const
{
    QByteArray prefix = inboxPrefix.toUtf8();
    if (prefix.endsWith('.'))
        prefix.chop(1);
    return prefix.isEmpty() ? QByteArrayLiteral("_INBOX") : prefix;
}
