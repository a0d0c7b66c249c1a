#pragma once

#include "connectionprofile.h"

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class ErrorLabel;
class ProfileStore;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class SecretStore;

// Manage saved connections: names, servers, authentication, TLS files, JetStream domain, read-only
// flag and colour tag. Secrets go to the keychain; without one the dialog says so and the app asks for
// the secret when connecting. natscli contexts can be imported as profiles.
class ProfileDialog final : public QDialog
{
    Q_OBJECT

public:
    ProfileDialog(ProfileStore *profiles, SecretStore *secrets, QWidget *parent = nullptr);

    // The profile to connect to after the dialog closes with "Connect", or an empty id.
    QString connectId() const { return m_connectId; }
    void selectProfile(const QString &id);
    // Imports every natscli context; returns how many became profiles.
    int importContexts();

private:
    void reloadList();
    void showProfile(const ConnectionProfile &profile);
    ConnectionProfile formProfile() const;
    void saveCurrent(bool thenConnect);
    void newProfile();
    void deleteCurrent();
    void updateFields();
    QString validate(const ConnectionProfile &profile) const;

    QPointer<ProfileStore> m_profiles;
    QPointer<SecretStore> m_secrets;
    QString m_currentId;
    QString m_connectId;
    QColor m_color;
    bool m_secretEdited = false;

    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_servers = nullptr;
    QComboBox *m_authKind = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_secret = nullptr;
    QLineEdit *m_seedFile = nullptr;
    QLineEdit *m_credsFile = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_certFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLineEdit *m_domain = nullptr;
    QCheckBox *m_readOnly = nullptr;
    QPushButton *m_colorButton = nullptr;
    QLabel *m_keychainStatus = nullptr;
    ErrorLabel *m_error = nullptr;
};
