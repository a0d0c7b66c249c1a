#include "natsclicontext.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsCliContext", text);
}

// natscli's validName(): no empty name, no "..", no path separator, so a name cannot leave the folder.
bool isValidName(const QString &name)
{
    return !name.isEmpty() && !name.contains(".."_L1) && !name.contains(u'/') && !name.contains(u'\\');
}

} // namespace

QString NatsCliContext::configDir()
{
    QString parent = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (parent.isEmpty())
        parent = QDir::homePath() + "/.config"_L1;
    return parent + "/nats"_L1;
}

QStringList NatsCliContext::contextNames()
{
    QStringList names;
    const QDir dir(configDir() + "/context"_L1);
    const QFileInfoList files = dir.entryInfoList({u"*.json"_s}, QDir::Files, QDir::Name);
    // Empty files too: reading one says so (an import that left them out named nothing).
    for (const QFileInfo &file : files)
        names.append(file.completeBaseName());
    return names;
}

QString NatsCliContext::selectedName()
{
    QFile file(configDir() + "/context.txt"_L1);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

bool NatsCliContext::load(const QString &name, NatsCliContext *out, QString *errorMessage)
{
    if (!isValidName(name)) {
        *errorMessage = tr("invalid context name \"%1\"").arg(name);
        return false;
    }
    const QString path = configDir() + "/context/"_L1 + name + ".json"_L1;
    if (!QFileInfo::exists(path)) {
        *errorMessage = tr("unknown context \"%1\" (no file %2)").arg(name, path);
        return false;
    }
    return loadFile(path, out, errorMessage);
}

bool NatsCliContext::loadFile(const QString &path, NatsCliContext *out, QString *errorMessage)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *errorMessage = tr("cannot read context file %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray content = file.readAll();
    if (content.trimmed().isEmpty()) {
        *errorMessage = tr("context file %1 is empty").arg(path);
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(content, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *errorMessage = tr("context file %1 is not a JSON object: %2").arg(path, parseError.errorString());
        return false;
    }
    const QJsonObject json = document.object();
    const auto text = [&json](const char *field) { return json.value(QLatin1StringView(field)).toString(); };
    NatsCliContext context;
    context.name = QFileInfo(path).completeBaseName();
    context.description = text("description");
    context.url = text("url");
    context.user = text("user");
    context.password = text("password");
    context.token = text("token");
    context.creds = text("creds");
    context.nkey = text("nkey");
    context.userJwt = text("user_jwt");
    context.userSeed = text("user_seed");
    context.cert = text("cert");
    context.key = text("key");
    context.ca = text("ca");
    context.jetStreamDomain = text("jetstream_domain");
    context.jetStreamApiPrefix = text("jetstream_api_prefix");
    context.inboxPrefix = text("inbox_prefix");
    context.tlsFirst = json.value("tls_first"_L1).toBool();
    *out = context;
    return true;
}

QString NatsCliContext::expandPath(const QString &path)
{
    QString expanded = path.trimmed();
    if (expanded.startsWith("file://"_L1))
        expanded = expanded.mid(7);
    if (expanded == "~"_L1 || expanded.startsWith("~/"_L1))
        expanded = QDir::homePath() + expanded.mid(1);
    return expanded;
}

NatsConnectOptions NatsCliContext::toConnectOptions() const
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(url.isEmpty() ? QString::fromLatin1(DefaultUrl) : url);
    options.user = user;
    options.password = password;
    options.token = token;
    options.credentialsFile = expandPath(creds);
    options.nkeyFile = expandPath(nkey);
    options.userJwt = userJwt.toUtf8();
    options.userSeed = userSeed.toUtf8();
    options.tlsCertFile = expandPath(cert);
    options.tlsKeyFile = expandPath(key);
    options.tlsCaFile = expandPath(ca);
    // natscli turns TLS on as soon as any TLS setting is configured.
    options.tlsFirst = tlsFirst;
    options.inboxPrefix = inboxPrefix;
    options.tlsRequired = !options.tlsCertFile.isEmpty() || !options.tlsKeyFile.isEmpty()
        || !options.tlsCaFile.isEmpty() || tlsFirst;
    return options;
}
