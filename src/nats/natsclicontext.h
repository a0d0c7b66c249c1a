#pragma once

#include "natsconnectoptions.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

// A natscli connection context (`nats context add`): one JSON file per context in
// $XDG_CONFIG_HOME/nats/context/<name>.json (~/.config when XDG_CONFIG_HOME is unset), the selected one
// named in $XDG_CONFIG_HOME/nats/context.txt. kvdesk-cli reads them for --context, and the desktop app
// imports them, so both connect exactly where `nats --context NAME` would.
class NatsCliContext
{
public:
    // "$XDG_CONFIG_HOME/nats" or "~/.config/nats".
    static QString configDir();
    // Names of the contexts on disk, sorted (non-.json files skipped; empty ones are listed, and load()
    // says they are empty).
    static QStringList contextNames();
    // The name in context.txt, or an empty string when none is selected.
    static QString selectedName();
    // Reads context name. On failure returns false and sets *errorMessage (unknown context, invalid name,
    // unreadable or empty file, bad JSON).
    static bool load(const QString &name, NatsCliContext *out, QString *errorMessage);
    // Reads a context file at an explicit path.
    static bool loadFile(const QString &path, NatsCliContext *out, QString *errorMessage);

    // Options for connecting as this context: servers from url (natscli's default when empty), then
    // credentials and TLS files with "~" and "file://" expanded.
    NatsConnectOptions toConnectOptions() const;

    QString name;
    QString description;
    QString url;
    QString user;
    QString password;
    QString token;
    QString creds; // path of a .creds file
    QString nkey;  // path of a file holding an NKEY seed
    QString userJwt;
    QString userSeed;
    QString cert;
    QString key;
    QString ca;
    QString jetStreamDomain;
    QString jetStreamApiPrefix;
    QString inboxPrefix;
    bool tlsFirst = false;

    static constexpr const char *DefaultUrl = "nats://127.0.0.1:4222";

private:
    static QString expandPath(const QString &path);
};
