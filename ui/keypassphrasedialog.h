#pragma once

#include "connectionprofile.h"

#include <QtWidgets/QDialog>

#include <functional>

class ErrorLabel;
class QCheckBox;
class QLineEdit;
class SecretStore;

// Asks for the passphrase of a profile's encrypted TLS client key, checks it against the key before
// closing (a wrong one is said in the dialog, which stays), and offers to keep it in the system
// keychain. Kept there only when asked: otherwise it lives as long as the connection.
class KeyPassphraseDialog final : public QDialog
{
    Q_OBJECT

public:
    using Callback = std::function<void(const QByteArray &passphrase)>;

    KeyPassphraseDialog(const ConnectionProfile &profile, bool keychainAvailable, const QString &note,
                        QWidget *parent = nullptr);

    QByteArray passphrase() const;
    bool remember() const;

    // Whether connecting with profile needs a passphrase (its client key is encrypted).
    static bool isNeeded(const ConnectionProfile &profile);
    // The keychain entry of profile's key passphrase (beside the profile's own secret).
    static QString keychainId(const QString &profileId);
    // The passphrase from the keychain when it opens the key, else asked for (and kept when the user
    // says so); done runs with it, or not at all when the user cancels.
    static void unlock(const ConnectionProfile &profile, SecretStore *secrets, QWidget *parent, const Callback &done);

private:
    void check();

    QString m_keyFile;
    QLineEdit *m_passphrase = nullptr;
    QCheckBox *m_remember = nullptr;
    ErrorLabel *m_problem = nullptr;
};
