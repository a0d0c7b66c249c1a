#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>

#include <functional>

// Profile secrets (password, token, NKEY seed) in the system keychain through QtKeychain (the Secret
// Service on Linux), one entry per profile under the service "kvdesk". Never in a file of ours: when no
// keychain works, writes fail and the app asks for the secret each time it connects.
class SecretStore final : public QObject
{
    Q_OBJECT

public:
    using ReadCallback = std::function<void(bool found, const QString &secret, const QString &error)>;
    using WriteCallback = std::function<void(bool ok, const QString &error)>;

    explicit SecretStore(QObject *parent = nullptr);

    static QString serviceName();

    // Finds out whether a keychain answers; availabilityChanged() follows.
    void probe();
    bool isProbed() const { return m_probed; }
    bool isAvailable() const { return m_available; }
    QString unavailableReason() const { return m_reason; }

    // Callbacks run in the event loop later, unless context is destroyed first.
    void read(const QString &profileId, QObject *context, const ReadCallback &callback);
    void write(const QString &profileId, const QString &secret, QObject *context, const WriteCallback &callback);
    void remove(const QString &profileId);

Q_SIGNALS:
    void availabilityChanged(bool available);

private:
    bool m_probed = false;
    bool m_available = false;
    QString m_reason;
};
