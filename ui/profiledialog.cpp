#include "profiledialog.h"

#include "errorlabel.h"
#include "keypassphrasedialog.h"
#include "natsclicontext.h"
#include "natsconnectoptions.h"
#include "placeholderfit.h"
#include "profilestore.h"
#include "secretstore.h"

#include <QtCore/QFileInfo>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QColorDialog>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

using AuthKind = ConnectionProfile::AuthKind;

namespace {

QLineEdit *fileField(QWidget *parent, const QString &name, QFormLayout *form, const QString &label,
                     const QString &description)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setAccessibleName(label);
    edit->setToolTip(description);
    auto *browse = new QPushButton(QObject::tr("…"), parent);
    browse->setAccessibleName(QObject::tr("Browse for %1").arg(label));
    browse->setToolTip(QObject::tr("Choose the file in a file dialog"));
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, parent, label] {
        const QString path = QFileDialog::getOpenFileName(parent, label, edit->text());
        if (!path.isEmpty())
            edit->setText(path);
    });
    auto *row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label + u':', row);
    return edit;
}

QLineEdit *lineField(QWidget *parent, const QString &name, QFormLayout *form, const QString &label,
                     const QString &description)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setToolTip(description);
    form->addRow(label, edit);
    return edit;
}

} // namespace

ProfileDialog::ProfileDialog(ProfileStore *profiles, SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_secrets(secrets)
    , m_list(new QListWidget(this))
    , m_keychainStatus(new QLabel(this))
    , m_error(new ErrorLabel(this))
{
    setObjectName(u"profileDialog"_s);
    setWindowTitle(tr("Connections"));
    auto *form = new QFormLayout;
    createForm(form);
    m_keychainStatus->setObjectName(u"keychainStatus"_s);
    m_keychainStatus->setWordWrap(true);
    connect(secrets, &SecretStore::availabilityChanged, this, &ProfileDialog::showKeychainState);
    showKeychainState();

    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addWidget(m_keychainStatus);
    right->addWidget(m_error);
    // Two lines kept for the notes ("Saved; the password from the server URL is…"): appearing, a note
    // grew the dialog by a line, and Save moved under the pointer.
    m_error->reserveRoom(2);
    right->addStretch(1);
    auto *columns = new QHBoxLayout;
    columns->addLayout(createListColumn(), 1);
    columns->addLayout(right, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(createButtons());

    reloadList();
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newProfile();
    resize(820, 560);
    PlaceholderFit::apply(this);
}

void ProfileDialog::createForm(QFormLayout *form)
{
    m_name = lineField(this, u"profileName"_s, form, tr("&Name:"), tr("How this connection is listed"));
    m_servers = lineField(this, u"profileServers"_s, form, tr("&Servers:"),
                          tr("One or more server URLs, separated by commas. A password or token written into a "
                             "URL goes to the keychain when saved."));
    m_servers->setPlaceholderText(tr("nats://host:4222, tls://other:4222"));
    m_authKind = new QComboBox(this);
    m_authKind->setObjectName(u"profileAuthKind"_s);
    m_authKind->setToolTip(tr("How the server knows who you are; the fields below follow the choice"));
    for (const AuthKind kind : {AuthKind::None, AuthKind::UserPassword, AuthKind::Token, AuthKind::NkeySeed,
                                AuthKind::NkeySeedFile, AuthKind::CredsFile, AuthKind::UserJwt})
        m_authKind->addItem(ConnectionProfile::authKindName(kind), int(kind));
    form->addRow(tr("&Authentication:"), m_authKind);
    m_user = lineField(this, u"profileUser"_s, form, tr("&User:"), tr("The user name, for a user and password"));
    m_jwt = lineField(this, u"profileJwt"_s, form, tr("User &JWT:"),
                      tr("The user's JWT (eyJ…), kept in the system keychain"));
    m_jwt->setEchoMode(QLineEdit::Password);
    m_secret = lineField(this, u"profileSecret"_s, form, tr("S&ecret:"), {});
    m_secret->setEchoMode(QLineEdit::Password);
    m_secretLabel = qobject_cast<QLabel *>(form->labelForField(m_secret));
    connect(m_secret, &QLineEdit::textEdited, this, [this] { m_secretEdited = true; });
    connect(m_jwt, &QLineEdit::textEdited, this, [this] { m_jwtEdited = true; });
    m_seedFile = fileField(this, u"profileSeedFile"_s, form, tr("NKEY seed file"),
                           tr("A file holding the user's NKEY seed (SU…); read when connecting"));
    m_credsFile = fileField(this, u"profileCredsFile"_s, form, tr("Credentials file"),
                            tr("A .creds file with the user's JWT and seed, as nsc writes it"));
    createTlsRows(form);
    createPrefixRows(form);
    m_readOnly = new QCheckBox(tr("Read-only: disable every write"), this);
    m_readOnly->setObjectName(u"profileReadOnly"_s);
    m_readOnly->setToolTip(tr("Browse without the risk of changing anything: saves, deletes and imports are off"));
    form->addRow(QString(), m_readOnly);
    m_colorButton = new QPushButton(tr("Choose…"), this);
    m_colorButton->setObjectName(u"profileColor"_s);
    m_colorButton->setToolTip(tr("A colour shown in the connection bar, to tell production from test at a glance"));
    connect(m_colorButton, &QPushButton::clicked, this, [this] {
        const QColor color = QColorDialog::getColor(m_color.isValid() ? m_color : Qt::red, this, tr("Colour tag"));
        if (color.isValid()) {
            m_color = color;
            m_colorButton->setStyleSheet(u"background-color: %1"_s.arg(color.name()));
        }
    });
    form->addRow(tr("Colour ta&g:"), m_colorButton);
    m_protoMappings = new QPlainTextEdit(this);
    m_protoMappings->setObjectName(u"profileProtoMappings"_s);
    m_protoMappings->setTabChangesFocus(true); // else Tab could never leave it: no keyboard trap
    m_protoMappings->setPlaceholderText(tr("BUCKET KEY-PATTERN MESSAGE FILE, e.g.\norders order.* shop.Order "
                                           "/home/me/shop.proto"));
    m_protoMappings->setToolTip(tr("Values decoded as your own Protobuf messages: one line each, * for any bucket, "
                                   "NATS wildcards in the key pattern."));
    m_protoMappings->setMaximumHeight(m_protoMappings->fontMetrics().lineSpacing() * 5);
    form->addRow(tr("&Protobuf messages:"), m_protoMappings);
    connect(m_authKind, &QComboBox::currentIndexChanged, this, &ProfileDialog::updateFields);
}

// Where the JetStream API and the reply inboxes are: a domain or imported API prefix, an inbox prefix.
void ProfileDialog::createPrefixRows(QFormLayout *form)
{
    m_domain = lineField(this, u"profileDomain"_s, form, tr("JetStream d&omain:"),
                         tr("The JetStream domain to use (a leaf node's), or empty for the server's own"));
    m_apiPrefix = lineField(this, u"profileApiPrefix"_s, form, tr("JetStream API p&refix:"),
                            tr("A JetStream API prefix imported from another account, instead of a domain"));
    m_apiPrefix->setPlaceholderText(tr("$JS.API (instead of a domain)"));
    m_inboxPrefix = lineField(this, u"profileInboxPrefix"_s, form, tr("In&box prefix:"),
                              tr("Every reply inbox starts with it instead of _INBOX: for a user allowed to "
                                 "subscribe only to a private inbox such as _MY_INBOX.> (natscli's inbox_prefix)"));
    m_inboxPrefix->setPlaceholderText(tr("_INBOX"));
}

void ProfileDialog::createTlsRows(QFormLayout *form)
{
    m_caFile = fileField(this, u"profileCaFile"_s, form, tr("TLS CA file"),
                         tr("The certificate authority (PEM) that signed the server's certificate"));
    m_certFile = fileField(this, u"profileCertFile"_s, form, tr("TLS client certificate"),
                           tr("Your certificate (PEM), with its chain, for a server that asks for one"));
    m_keyFile = fileField(this, u"profileKeyFile"_s, form, tr("TLS client key"),
                          tr("The private key (PEM) of your certificate; an encrypted one asks for its passphrase"));
    m_requireTls = new QCheckBox(tr("Require &TLS: never connect without it"), this);
    m_requireTls->setObjectName(u"profileRequireTls"_s);
    m_requireTls->setToolTip(tr("A server that does not offer TLS is refused before anything, credentials "
                                "included, is sent to it."));
    form->addRow(QString(), m_requireTls);
    m_tlsFirst = new QCheckBox(tr("TLS &handshake first (nats-server 2.10+, tls_first)"), this);
    m_tlsFirst->setObjectName(u"profileTlsFirst"_s);
    m_tlsFirst->setToolTip(tr("For a server set to tls { handshake_first: true }: TLS starts before the server's "
                              "greeting. A server that greets first cannot be reached this way."));
    form->addRow(QString(), m_tlsFirst);
    for (QLineEdit *file : {m_caFile, m_certFile, m_keyFile})
        connect(file, &QLineEdit::textChanged, this, &ProfileDialog::updateTlsRequirement);
    connect(m_tlsFirst, &QCheckBox::toggled, this, &ProfileDialog::updateTlsRequirement);
}

QLayout *ProfileDialog::createListColumn()
{
    m_list->setObjectName(u"profileList"_s);
    m_list->setAccessibleName(tr("Saved connections"));
    m_list->setAccessibleDescription(tr("Choose one to see and change its settings"));
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            showProfile(m_profiles->profile(m_list->item(row)->data(Qt::UserRole).toString()));
    });
    auto *add = new QPushButton(tr("Ne&w"), this);
    auto *remove = new QPushButton(tr("De&lete"), this); // Alt+D: the password
    auto *import = new QPushButton(tr("&Import natscli Contexts"), this);
    import->setObjectName(u"importContexts"_s);
    add->setToolTip(tr("Start a new connection"));
    remove->setToolTip(tr("Delete the chosen connection and its secrets in the keychain"));
    import->setToolTip(
        tr("Add the connections saved by the nats command-line tool (%1)").arg(NatsCliContext::configDir()));
    connect(add, &QPushButton::clicked, this, &ProfileDialog::newProfile);
    connect(remove, &QPushButton::clicked, this, &ProfileDialog::deleteCurrent);
    connect(import, &QPushButton::clicked, this, [this] {
        QStringList skipped;
        const QString report = importReport(importContexts(&skipped), skipped);
        if (skipped.isEmpty())
            m_error->setInfo(report);
        else
            m_error->setMessage(report);
    });
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);
    left->addWidget(import);
    return left;
}

QDialogButtonBox *ProfileDialog::createButtons()
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *save = buttons->addButton(tr("Sa&ve"), QDialogButtonBox::ApplyRole);
    save->setObjectName(u"saveProfile"_s);
    save->setToolTip(tr("Save the settings; secrets go to the system keychain"));
    QPushButton *connectButton = buttons->addButton(tr("Save and &Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setObjectName(u"connectProfile"_s);
    connectButton->setToolTip(tr("Save the settings and connect with them"));
    connect(save, &QPushButton::clicked, this, [this] { saveCurrent(false); });
    connect(connectButton, &QPushButton::clicked, this, [this] { saveCurrent(true); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    return buttons;
}

void ProfileDialog::showKeychainState()
{
    m_keychainStatus->setText(
        !m_secrets->isProbed() ? tr("Checking the system keychain…")
            : m_secrets->isAvailable()
            ? tr("Passwords, tokens and seeds are kept in the system keychain, never in kvdesk's settings.")
            : tr("No system keychain is available (%1). Secrets are not stored: kvdesk asks for them "
                 "when connecting.")
                  .arg(m_secrets->unavailableReason()));
}

void ProfileDialog::reloadList()
{
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    for (const ConnectionProfile &profile : m_profiles->profiles()) {
        auto *item = new QListWidgetItem(profile.name, m_list);
        item->setData(Qt::UserRole, profile.id);
        if (profile.id == m_currentId)
            m_list->setCurrentItem(item);
    }
}

void ProfileDialog::selectProfile(const QString &id)
{
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->data(Qt::UserRole).toString() == id)
            m_list->setCurrentRow(row);
    }
}

void ProfileDialog::offerUnsaved(const ConnectionProfile &profile, const QString &secret)
{
    ConnectionProfile unsaved = profile;
    unsaved.name = profile.servers; // its URL, without the credentials (they are in their fields)
    showProfile(unsaved);
    m_currentId.clear(); // saved under an id of its own
    m_list->clearSelection();
    const bool withSecret = profile.needsSecret() && !secret.isEmpty();
    if (withSecret) {
        m_secret->setText(secret);
        m_secretEdited = true;
    }
    m_error->setInfo(withSecret ? tr("The connection open now is not saved: Save keeps it, its %1 in the system "
                                     "keychain.")
                                      .arg(profile.secretLabel().toLower())
                                : tr("The connection open now is not saved: Save keeps it."));
    m_name->setFocus();
    m_name->selectAll();
}

void ProfileDialog::showProfile(const ConnectionProfile &profile)
{
    m_currentId = profile.id;
    m_name->setText(profile.name);
    m_servers->setText(profile.servers);
    m_authKind->setCurrentIndex(m_authKind->findData(int(profile.authKind)));
    m_user->setText(profile.user);
    m_secret->clear();
    m_secret->setPlaceholderText(profile.needsSecret() ? tr("(unchanged)") : QString());
    m_jwt->clear();
    m_jwt->setPlaceholderText(profile.authKind == AuthKind::UserJwt ? tr("(unchanged)") : QString());
    m_secretEdited = false;
    m_jwtEdited = false;
    m_seedFile->setText(profile.nkeyFile);
    m_credsFile->setText(profile.credsFile);
    m_caFile->setText(profile.tlsCaFile);
    m_certFile->setText(profile.tlsCertFile);
    m_keyFile->setText(profile.tlsKeyFile);
    m_tlsFirst->setChecked(profile.tlsFirst);
    m_requireTls->setChecked(profile.requiresTls());
    m_domain->setText(profile.jetStreamDomain);
    m_apiPrefix->setText(profile.jetStreamApiPrefix);
    m_inboxPrefix->setText(profile.inboxPrefix);
    m_readOnly->setChecked(profile.readOnly);
    m_protoMappings->setPlainText(CodecProtoMap::toText(profile.protoMappings));
    m_color = profile.color;
    m_colorButton->setStyleSheet(m_color.isValid() ? u"background-color: %1"_s.arg(m_color.name()) : QString());
    m_error->setMessage({});
    updateFields();
    updateTlsRequirement();
}

void ProfileDialog::updateFields()
{
    const auto kind = AuthKind(m_authKind->currentData().toInt());
    m_user->setEnabled(kind == AuthKind::UserPassword);
    m_jwt->setEnabled(kind == AuthKind::UserJwt);
    m_secret->setEnabled(kind == AuthKind::UserPassword || kind == AuthKind::Token || kind == AuthKind::NkeySeed
                         || kind == AuthKind::UserJwt);
    m_secret->setToolTip(kind == AuthKind::UserJwt ? tr("The user's NKEY seed (SU…), kept in the system keychain")
                             : kind == AuthKind::NkeySeed     ? tr("The NKEY seed (SU…), kept in the system keychain")
                             : kind == AuthKind::Token        ? tr("The token, kept in the system keychain")
                             : kind == AuthKind::UserPassword ? tr("The password, kept in the system keychain")
                                                              : tr("Not used by this kind of authentication"));
    // Named for what it takes ("Secret:" beside "User:" was not where a user looks for the password), and
    // so is the field for a screen reader (the label is its buddy). Alt+D: Alt+P and Alt+W are taken.
    m_secretLabel->setText(kind == AuthKind::UserPassword                                ? tr("Passwor&d:")
                               : kind == AuthKind::Token                                 ? tr("Tok&en:")
                               : kind == AuthKind::NkeySeed || kind == AuthKind::UserJwt ? tr("NKEY s&eed:")
                                                                                         : tr("S&ecret:"));
    m_seedFile->setEnabled(kind == AuthKind::NkeySeedFile);
    m_credsFile->setEnabled(kind == AuthKind::CredsFile);
}

// Any TLS setting means TLS is required, as in the CLI, natscli and nats.go: the box says so and stays on.
void ProfileDialog::updateTlsRequirement()
{
    const bool implied = m_tlsFirst->isChecked() || !m_caFile->text().trimmed().isEmpty()
        || !m_certFile->text().trimmed().isEmpty() || !m_keyFile->text().trimmed().isEmpty();
    if (implied)
        m_requireTls->setChecked(true);
    m_requireTls->setEnabled(!implied);
    m_requireTls->setToolTip(implied ? tr("A TLS setting is given, so TLS is always required.")
                                     : tr("A server that does not offer TLS is refused before anything, "
                                          "credentials included, is sent to it."));
}

ConnectionProfile ProfileDialog::formProfile() const
{
    ConnectionProfile profile;
    profile.id = m_currentId.isEmpty() ? ConnectionProfile::newId() : m_currentId;
    profile.name = m_name->text().trimmed();
    profile.servers = m_servers->text().trimmed();
    profile.authKind = AuthKind(m_authKind->currentData().toInt());
    profile.user = m_user->text().trimmed();
    profile.nkeyFile = m_seedFile->text().trimmed();
    profile.credsFile = m_credsFile->text().trimmed();
    profile.tlsCaFile = m_caFile->text().trimmed();
    profile.tlsCertFile = m_certFile->text().trimmed();
    profile.tlsKeyFile = m_keyFile->text().trimmed();
    profile.requireTls = m_requireTls->isChecked();
    profile.tlsFirst = m_tlsFirst->isChecked();
    profile.jetStreamDomain = m_domain->text().trimmed();
    profile.jetStreamApiPrefix = m_apiPrefix->text().trimmed();
    profile.inboxPrefix = m_inboxPrefix->text().trimmed();
    profile.readOnly = m_readOnly->isChecked();
    profile.color = m_color;
    QString ignored; // validate() says what is wrong with the lines
    CodecProtoMap::fromText(m_protoMappings->toPlainText(), &profile.protoMappings, &ignored);
    return profile;
}

QString ProfileDialog::validate(const ConnectionProfile &profile) const
{
    if (profile.name.isEmpty())
        return tr("Give the connection a name.");
    QList<CodecProtoMap::Entry> mappings;
    QString mappingProblem;
    if (!CodecProtoMap::fromText(m_protoMappings->toPlainText(), &mappings, &mappingProblem))
        return tr("Protobuf messages, %1").arg(mappingProblem);
    for (const CodecProtoMap::Entry &entry : mappings) {
        if (!QFileInfo(entry.protoFile).isFile())
            return tr("Protobuf messages: the .proto file %1 does not exist.").arg(entry.protoFile);
    }
    QList<QUrl> urls;
    QString problem;
    if (!NatsConnectOptions::parseServers(profile.servers, &urls, &problem))
        return problem; // names the entry, its password as ***
    if (profile.authKind == AuthKind::UserPassword && profile.user.isEmpty())
        return tr("User and password authentication needs a user name.");
    if (profile.authKind == AuthKind::NkeySeedFile && profile.nkeyFile.isEmpty())
        return tr("Choose the NKEY seed file.");
    if (profile.authKind == AuthKind::CredsFile && profile.credsFile.isEmpty())
        return tr("Choose the credentials (.creds) file.");
    if (profile.tlsCertFile.isEmpty() != profile.tlsKeyFile.isEmpty())
        return tr("A TLS client certificate needs its key, and the other way round.");
    if (QString inboxProblem = NatsConnectOptions::validateInboxPrefix(profile.inboxPrefix);
        !profile.inboxPrefix.isEmpty() && !inboxProblem.isEmpty()) {
        inboxProblem[0] = inboxProblem[0].toUpper(); // "Inbox prefix "_MY.*" is not a subject without …"
        return inboxProblem + u'.';
    }
    return {};
}

bool ProfileDialog::typedSecret(const ConnectionProfile &profile, QString *secret, bool *given, QString *problem) const
{
    const bool jwt = profile.authKind == AuthKind::UserJwt;
    *given = profile.needsSecret() && (m_secretEdited || (jwt && m_jwtEdited));
    if (!*given)
        return true;
    if (!jwt) {
        *secret = m_secret->text();
        return true;
    }
    if (m_jwt->text().trimmed().isEmpty() || m_secret->text().trimmed().isEmpty()) {
        *problem = tr("Enter both the user JWT and its seed, or neither to keep the stored ones.");
        return false;
    }
    *secret = ConnectionProfile::jwtSecret(m_jwt->text(), m_secret->text());
    return true;
}

void ProfileDialog::saveCurrent(bool thenConnect)
{
    ConnectionProfile profile = formProfile();
    // A password (or token) in a server URL belongs in the keychain, and the user in the profile.
    QString secret;
    const bool fromUrl = profile.takeUrlCredentials(&secret);
    bool given = fromUrl;
    QString problem = validate(profile);
    if (problem.isEmpty() && !fromUrl)
        typedSecret(profile, &secret, &given, &problem);
    if (!problem.isEmpty()) {
        m_error->setMessage(problem);
        return;
    }
    m_profiles->save(profile);
    m_currentId = profile.id;
    reloadList();
    if (fromUrl) {
        m_servers->setText(profile.servers);
        m_authKind->setCurrentIndex(m_authKind->findData(int(profile.authKind)));
        m_user->setText(profile.user);
    }
    const auto finish = [this, thenConnect, id = profile.id](const QString &note) {
        m_savedNote = note;
        m_error->setInfo(note);
        if (thenConnect) {
            m_connectId = id;
            accept();
        }
    };
    if (!given) {
        finish(tr("Saved."));
        return;
    }
    const bool token = profile.authKind == ConnectionProfile::AuthKind::Token; // nats://TOKEN@host
    m_secrets->write(
        profile.id, secret, this,
        [this, finish, fromUrl, token, thenConnect, kind = profile.authKind, secret](bool ok, const QString &error) {
            for (QLineEdit *field : {m_secret, m_jwt})
                field->clear();
            m_secretEdited = m_jwtEdited = false;
            if (ok && fromUrl && token)
                finish(tr("Saved; the token from the server URL is in the system keychain, the URL without it."));
            else if (ok && fromUrl)
                finish(tr("Saved; the password from the server URL is in the system keychain, the URL without it."));
            else if (ok)
                finish(tr("Saved; the secret is in the system keychain."));
            else
                finish(notKeptNote(kind, error, thenConnect));
            // Asked for again at once, as if it had never been typed, is what no keychain must not mean.
            if (!ok && thenConnect) {
                m_connectSecret = secret;
                m_hasConnectSecret = true;
            }
        });
    secret.fill(u'\0');
}

QString ProfileDialog::notKeptNote(ConnectionProfile::AuthKind kind, const QString &error, bool thenConnect)
{
    ConnectionProfile profile;
    profile.authKind = kind;
    const QString what = kind == AuthKind::UserPassword ? tr("password")
        : kind == AuthKind::Token                       ? tr("token")
                                                        : profile.secretLabel();
    if (thenConnect) // the status bar's room: the keychain's own error is in the dialog
        return tr("No keychain kept the %1 just typed: it is used for this connection only, and asked for next time.")
            .arg(what);
    return tr("Saved without the %1: the system keychain could not keep it (%2). kvdesk will ask for it when "
              "connecting.")
        .arg(what, error);
}

bool ProfileDialog::takeConnectSecret(QString *secret)
{
    if (!m_hasConnectSecret)
        return false;
    *secret = m_connectSecret;
    m_connectSecret.fill(u'\0');
    m_connectSecret.clear();
    m_hasConnectSecret = false;
    return true;
}

void ProfileDialog::newProfile()
{
    ConnectionProfile profile;
    profile.name = tr("New connection");
    showProfile(profile);
    m_currentId.clear();
    m_list->clearSelection();
    m_name->setFocus();
    m_name->selectAll();
}

void ProfileDialog::deleteCurrent()
{
    if (m_currentId.isEmpty())
        return;
    const ConnectionProfile profile = m_profiles->profile(m_currentId);
    if (QMessageBox::question(this, tr("Delete Connection"),
                              tr("Delete the connection \"%1\" and its stored secret?").arg(profile.name),
                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
        != QMessageBox::Yes)
        return;
    m_secrets->remove(profile.id);
    m_secrets->remove(KeyPassphraseDialog::keychainId(profile.id));
    m_profiles->remove(profile.id);
    m_currentId.clear();
    reloadList();
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newProfile();
}

// Through NatsCliContext, the CLI's own reading of a context: JWT and seed, API prefix, tls_first, "~".
int ProfileDialog::importContexts(QStringList *skipped)
{
    int imported = 0;
    for (const QString &name : NatsCliContext::contextNames()) {
        NatsCliContext context;
        QString problem;
        if (!NatsCliContext::load(name, &context, &problem)) {
            if (skipped)
                skipped->append(problem);
            continue;
        }
        QString secret;
        const ConnectionProfile profile = ConnectionProfile::fromCliContext(context, &secret);
        m_profiles->save(profile);
        if (!secret.isEmpty()) {
            m_secrets->write(profile.id, secret, this, [this, name](bool ok, const QString &error) {
                if (!ok)
                    m_error->setMessage(tr("Context %1 is imported without its secret: the keychain refused it (%2). "
                                           "kvdesk will ask for it when connecting.")
                                            .arg(name, error));
            });
            secret.fill(u'\0');
        }
        ++imported;
    }
    reloadList();
    return imported;
}

QString ProfileDialog::importReport(int imported, const QStringList &skipped)
{
    if (imported == 0 && skipped.isEmpty())
        return tr("No natscli contexts found in %1.").arg(NatsCliContext::configDir());
    QString report = imported == 1 ? tr("Imported 1 natscli context.")
                                   : tr("Imported %n natscli contexts.", nullptr, imported);
    if (!skipped.isEmpty()) {
        report += u' ' + tr("Skipped %n that could not be read:", nullptr, int(skipped.size())) + u'\n'
            + skipped.join(u'\n');
    }
    return report;
}
