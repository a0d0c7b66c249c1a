#pragma once

#include "connectionprofile.h"

#include <QtCore/QList>
#include <QtCore/QObject>

class QSettings;
class SecretStore;

// Saved connection profiles in QSettings. Secrets never go here (see SecretStore); the file holds only
// what is safe to read: names, URLs, file paths, flags.
class ProfileStore final : public QObject
{
    Q_OBJECT

public:
    explicit ProfileStore(QObject *parent = nullptr);

    QList<ConnectionProfile> profiles() const { return m_profiles; }
    ConnectionProfile profile(const QString &id) const;
    bool contains(const QString &id) const;
    void save(const ConnectionProfile &profile); // adds or replaces
    void remove(const QString &id);
    // Settings from before URLs were kept without credentials may hold a password or token in a server
    // URL: each goes to the keychain, and the profile loses it once the keychain has it.
    void moveUrlSecretsTo(SecretStore *secrets);
    QString lastUsedId() const;
    void setLastUsedId(const QString &id);

Q_SIGNALS:
    void profilesChanged();

private:
    void load();
    void write();
    static QList<CodecProtoMap::Entry> readProtoMappings(QSettings *settings);
    static void writeProtoMappings(QSettings *settings, const QList<CodecProtoMap::Entry> &entries);

    QList<ConnectionProfile> m_profiles;
};
