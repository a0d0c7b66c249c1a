#include "profilestore.h"

#include "secretstore.h"

#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

ProfileStore::ProfileStore(QObject *parent)
    : QObject(parent)
{
    load();
}

// A profile's Protobuf mappings: an array of its own within the profile's entry.
QList<CodecProtoMap::Entry> ProfileStore::readProtoMappings(QSettings *settings)
{
    QList<CodecProtoMap::Entry> entries;
    const int count = settings->beginReadArray(u"protoMappings"_s);
    for (int i = 0; i < count; ++i) {
        settings->setArrayIndex(i);
        entries.append({settings->value(u"bucket"_s).toString(), settings->value(u"keyPattern"_s).toString(),
                        settings->value(u"protoFile"_s).toString(), settings->value(u"messageType"_s).toString()});
    }
    settings->endArray();
    return entries;
}

void ProfileStore::writeProtoMappings(QSettings *settings, const QList<CodecProtoMap::Entry> &entries)
{
    settings->beginWriteArray(u"protoMappings"_s, int(entries.size()));
    for (int i = 0; i < entries.size(); ++i) {
        settings->setArrayIndex(i);
        settings->setValue(u"bucket"_s, entries[i].bucket);
        settings->setValue(u"keyPattern"_s, entries[i].keyPattern);
        settings->setValue(u"protoFile"_s, entries[i].protoFile);
        settings->setValue(u"messageType"_s, entries[i].messageType);
    }
    settings->endArray();
}

void ProfileStore::load()
{
    QSettings settings;
    const int count = settings.beginReadArray(u"profiles"_s);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        ConnectionProfile p;
        p.id = settings.value(u"id"_s).toString();
        p.name = settings.value(u"name"_s).toString();
        p.servers = settings.value(u"servers"_s).toString();
        p.authKind = ConnectionProfile::AuthKind(settings.value(u"authKind"_s, 0).toInt());
        p.user = settings.value(u"user"_s).toString();
        p.nkeyFile = settings.value(u"nkeyFile"_s).toString();
        p.credsFile = settings.value(u"credsFile"_s).toString();
        p.tlsCaFile = settings.value(u"tlsCaFile"_s).toString();
        p.tlsCertFile = settings.value(u"tlsCertFile"_s).toString();
        p.tlsKeyFile = settings.value(u"tlsKeyFile"_s).toString();
        p.jetStreamDomain = settings.value(u"jetStreamDomain"_s).toString();
        p.requireTls = settings.value(u"requireTls"_s, false).toBool();
        p.tlsFirst = settings.value(u"tlsFirst"_s, false).toBool();
        p.jetStreamApiPrefix = settings.value(u"jetStreamApiPrefix"_s).toString();
        p.inboxPrefix = settings.value(u"inboxPrefix"_s).toString();
        p.color = QColor(settings.value(u"color"_s).toString());
        p.readOnly = settings.value(u"readOnly"_s, false).toBool();
        p.protoMappings = readProtoMappings(&settings);
        if (!p.id.isEmpty())
            m_profiles.append(p);
    }
    settings.endArray();
}

void ProfileStore::write()
{
    QSettings settings;
    settings.remove(u"profiles"_s);
    settings.beginWriteArray(u"profiles"_s, int(m_profiles.size()));
    for (int i = 0; i < m_profiles.size(); ++i) {
        const ConnectionProfile &p = m_profiles[i];
        settings.setArrayIndex(i);
        settings.setValue(u"id"_s, p.id);
        settings.setValue(u"name"_s, p.name);
        settings.setValue(u"servers"_s, p.servers);
        settings.setValue(u"authKind"_s, int(p.authKind));
        settings.setValue(u"user"_s, p.user);
        settings.setValue(u"nkeyFile"_s, p.nkeyFile); // a path; a pasted seed goes to the keychain
        settings.setValue(u"credsFile"_s, p.credsFile);
        settings.setValue(u"tlsCaFile"_s, p.tlsCaFile);
        settings.setValue(u"tlsCertFile"_s, p.tlsCertFile);
        settings.setValue(u"tlsKeyFile"_s, p.tlsKeyFile);
        settings.setValue(u"jetStreamDomain"_s, p.jetStreamDomain);
        settings.setValue(u"requireTls"_s, p.requireTls);
        settings.setValue(u"tlsFirst"_s, p.tlsFirst);
        settings.setValue(u"jetStreamApiPrefix"_s, p.jetStreamApiPrefix);
        settings.setValue(u"inboxPrefix"_s, p.inboxPrefix);
        settings.setValue(u"color"_s, p.color.isValid() ? p.color.name() : QString());
        settings.setValue(u"readOnly"_s, p.readOnly);
        writeProtoMappings(&settings, p.protoMappings);
    }
    settings.endArray();
    settings.sync();
}

ConnectionProfile ProfileStore::profile(const QString &id) const
{
    for (const ConnectionProfile &p : m_profiles) {
        if (p.id == id)
            return p;
    }
    return {};
}

bool ProfileStore::contains(const QString &id) const
{
    return !profile(id).id.isEmpty();
}

void ProfileStore::save(const ConnectionProfile &profile)
{
    bool replaced = false;
    for (ConnectionProfile &p : m_profiles) {
        if (p.id == profile.id) {
            p = profile;
            replaced = true;
        }
    }
    if (!replaced)
        m_profiles.append(profile);
    write();
    Q_EMIT profilesChanged();
}

void ProfileStore::remove(const QString &id)
{
    m_profiles.removeIf([&id](const ConnectionProfile &p) { return p.id == id; });
    write();
    Q_EMIT profilesChanged();
}

void ProfileStore::moveUrlSecretsTo(SecretStore *secrets)
{
    for (const ConnectionProfile &saved : std::as_const(m_profiles)) {
        ConnectionProfile profile = saved;
        QString secret;
        if (!profile.takeUrlCredentials(&secret))
            continue;
        // Only once the keychain holds it: a refused write leaves the profile as it was, still working.
        secrets->write(profile.id, secret, this, [this, profile](bool ok, const QString &) {
            if (ok && contains(profile.id))
                save(profile);
        });
        secret.fill(u'\0');
    }
}

QString ProfileStore::lastUsedId() const
{
    return QSettings().value(u"lastProfile"_s).toString();
}

void ProfileStore::setLastUsedId(const QString &id)
{
    QSettings().setValue(u"lastProfile"_s, id);
}
