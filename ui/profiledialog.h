#pragma once

#include "connectionprofile.h"

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class ErrorLabel;
class ProfileStore;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLayout;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class SecretStore;

// Manage saved connections: names, servers, authentication, TLS files, "Require TLS" and tls_first, JetStream
// domain or API prefix, inbox prefix, read-only flag and colour tag. Secrets go to the keychain, a password typed
// into a server URL included; without a keychain the dialog says so and the app asks for the secret
// when connecting. natscli contexts are imported as the CLI reads them (NatsCliContext).
class ProfileDialog final : public QDialog
{
    Q_OBJECT

public:
    ProfileDialog(ProfileStore *profiles, SecretStore *secrets, QWidget *parent = nullptr);

    // The profile to connect to after the dialog closes with "Connect", or an empty id.
    QString connectId() const { return m_connectId; }
    // The secret typed for connectId() that the keychain could not keep, into *secret (and out of the
    // dialog): for that connection only. False when the keychain has it, or none was typed.
    bool takeConnectSecret(QString *secret);
    // What saving said ("Saved; …", or why the secret was not kept), for the window to repeat once the
    // dialog is closed.
    QString savedNote() const { return m_savedNote; }
    void selectProfile(const QString &id);
    // The connection open now that no profile holds (given with --server), shown as a new connection with
    // its secret in the form: Save keeps it, the secret in the keychain.
    void offerUnsaved(const ConnectionProfile &profile, const QString &secret);
    // Imports every natscli context; returns how many became profiles. *skipped gets, for each context
    // file that could not be read, why in the CLI's words ("context file …/bad.json is not a JSON object: …").
    int importContexts(QStringList *skipped = nullptr);
    // What an import says: how many, and each file skipped with why.
    static QString importReport(int imported, const QStringList &skipped);

private:
    void createForm(QFormLayout *form);
    void createTlsRows(QFormLayout *form);
    void createPrefixRows(QFormLayout *form);
    QLayout *createListColumn();
    QDialogButtonBox *createButtons();
    void showKeychainState();
    void reloadList();
    void showProfile(const ConnectionProfile &profile);
    ConnectionProfile formProfile() const;
    void saveCurrent(bool thenConnect);
    void newProfile();
    void deleteCurrent();
    void updateFields();
    void updateTlsRequirement();
    QString validate(const ConnectionProfile &profile) const;
    // The secret typed into the form for profile: false (and *problem) when it is incomplete; *given is
    // false when nothing was typed and the stored secret stays.
    bool typedSecret(const ConnectionProfile &profile, QString *secret, bool *given, QString *problem) const;
    // Why a secret of this kind is not in the keychain (error, for a plain save), and what becomes of it.
    static QString notKeptNote(ConnectionProfile::AuthKind kind, const QString &error, bool thenConnect);

    QPointer<ProfileStore> m_profiles;
    QPointer<SecretStore> m_secrets;
    QString m_currentId;
    QString m_connectId;
    QString m_connectSecret;
    bool m_hasConnectSecret = false;
    QString m_savedNote;
    QColor m_color;
    bool m_secretEdited = false;
    bool m_jwtEdited = false;

    QListWidget *m_list = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_servers = nullptr;
    QComboBox *m_authKind = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_secret = nullptr;
    QLabel *m_secretLabel = nullptr; // named for the authentication chosen: Password:, Token:, …
    QLineEdit *m_jwt = nullptr;
    QLineEdit *m_seedFile = nullptr;
    QLineEdit *m_credsFile = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_certFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QCheckBox *m_requireTls = nullptr;
    QCheckBox *m_tlsFirst = nullptr;
    QLineEdit *m_domain = nullptr;
    QLineEdit *m_apiPrefix = nullptr;
    QLineEdit *m_inboxPrefix = nullptr;
    QCheckBox *m_readOnly = nullptr;
    QPlainTextEdit *m_protoMappings = nullptr; // ConnectionProfile::protoMappings, a line each
    QPushButton *m_colorButton = nullptr;
    QLabel *m_keychainStatus = nullptr;
    ErrorLabel *m_error = nullptr;
};
