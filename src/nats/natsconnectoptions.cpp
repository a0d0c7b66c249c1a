#include "natsconnectoptions.h"

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

bool NatsConnectOptions::parseServers(const QString &text, QList<QUrl> *out, QString *errorMessage)
{
    const auto fail = [errorMessage](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return false;
    };
    QList<QUrl> urls;
    const QStringList entries = text.split(u',', Qt::SkipEmptyParts);
    for (QString entry : entries) {
        entry = entry.trimmed();
        if (entry.isEmpty())
            continue;
        if (!entry.contains("://"_L1))
            entry.prepend("nats://"_L1);
        QUrl url(entry, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (!url.isValid() || url.host().isEmpty())
            return fail(
                QCoreApplication::translate("NatsConnectOptions", "\"%1\" is not a valid server URL").arg(entry));
        if (scheme != "nats"_L1 && scheme != "tls"_L1)
            return fail(QCoreApplication::translate("NatsConnectOptions",
                                                    "\"%1\": unsupported scheme \"%2\" (use nats:// or tls://)")
                            .arg(entry, url.scheme()));
        if (!url.path().isEmpty() && url.path() != "/"_L1)
            return fail(
                QCoreApplication::translate("NatsConnectOptions", "\"%1\": a server URL has no path").arg(entry));
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
