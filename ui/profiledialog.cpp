#include "profiledialog.h"

#include "errorlabel.h"
#include "natsclicontext.h"
#include "natsconnectoptions.h"
#include "profilestore.h"
#include "secretstore.h"

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
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

using AuthKind = ConnectionProfile::AuthKind;

namespace {

QLineEdit *fileField(QWidget *parent, const QString &name, QFormLayout *form, const QString &label)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setAccessibleName(label);
    auto *browse = new QPushButton(QObject::tr("…"), parent);
    browse->setAccessibleName(QObject::tr("Browse for %1").arg(label));
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
    m_list->setObjectName(u"profileList"_s);
    m_list->setAccessibleName(tr("Saved connections"));

    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(u"profileName"_s);
    m_servers = new QLineEdit(this);
    m_servers->setObjectName(u"profileServers"_s);
    m_servers->setPlaceholderText(tr("nats://host:4222, tls://other:4222"));
    m_authKind = new QComboBox(this);
    m_authKind->setObjectName(u"profileAuthKind"_s);
    for (const AuthKind kind : {AuthKind::None, AuthKind::UserPassword, AuthKind::Token, AuthKind::NkeySeed,
                                AuthKind::NkeySeedFile, AuthKind::CredsFile})
        m_authKind->addItem(ConnectionProfile::authKindName(kind), int(kind));
    m_user = new QLineEdit(this);
    m_user->setObjectName(u"profileUser"_s);
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(u"profileSecret"_s);
    m_secret->setEchoMode(QLineEdit::Password);
    connect(m_secret, &QLineEdit::textEdited, this, [this] { m_secretEdited = true; });
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Servers:"), m_servers);
    form->addRow(tr("&Authentication:"), m_authKind);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("Se&cret:"), m_secret);
    m_seedFile = fileField(this, u"profileSeedFile"_s, form, tr("NKEY seed file"));
    m_credsFile = fileField(this, u"profileCredsFile"_s, form, tr("Credentials file"));
    m_caFile = fileField(this, u"profileCaFile"_s, form, tr("TLS CA file"));
    m_certFile = fileField(this, u"profileCertFile"_s, form, tr("TLS client certificate"));
    m_keyFile = fileField(this, u"profileKeyFile"_s, form, tr("TLS client key"));
    m_domain = new QLineEdit(this);
    m_domain->setObjectName(u"profileDomain"_s);
    form->addRow(tr("JetStream &domain:"), m_domain);
    m_readOnly = new QCheckBox(tr("Read-only: disable every write"), this);
    m_readOnly->setObjectName(u"profileReadOnly"_s);
    form->addRow(QString(), m_readOnly);
    m_colorButton = new QPushButton(tr("Choose…"), this);
    m_colorButton->setObjectName(u"profileColor"_s);
    connect(m_colorButton, &QPushButton::clicked, this, [this] {
        const QColor color = QColorDialog::getColor(m_color.isValid() ? m_color : Qt::red, this, tr("Colour tag"));
        if (color.isValid()) {
            m_color = color;
            m_colorButton->setStyleSheet(u"background-color: %1"_s.arg(color.name()));
        }
    });
    form->addRow(tr("Colour &tag:"), m_colorButton);
    connect(m_authKind, &QComboBox::currentIndexChanged, this, &ProfileDialog::updateFields);

    auto *listButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("&New"), this);
    auto *remove = new QPushButton(tr("&Delete"), this);
    auto *import = new QPushButton(tr("&Import natscli Contexts"), this);
    import->setObjectName(u"importContexts"_s);
    connect(add, &QPushButton::clicked, this, &ProfileDialog::newProfile);
    connect(remove, &QPushButton::clicked, this, &ProfileDialog::deleteCurrent);
    connect(import, &QPushButton::clicked, this, [this] {
        const int count = importContexts();
        m_error->setInfo(count > 0 ? tr("Imported %n natscli context(s).", nullptr, count)
                                   : tr("No natscli contexts found in %1.").arg(NatsCliContext::configDir()));
    });
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);
    left->addWidget(import);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *save = buttons->addButton(tr("&Save"), QDialogButtonBox::ApplyRole);
    save->setObjectName(u"saveProfile"_s);
    QPushButton *connectButton = buttons->addButton(tr("Save and &Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setObjectName(u"connectProfile"_s);
    connect(save, &QPushButton::clicked, this, [this] { saveCurrent(false); });
    connect(connectButton, &QPushButton::clicked, this, [this] { saveCurrent(true); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_keychainStatus->setObjectName(u"keychainStatus"_s);
    m_keychainStatus->setWordWrap(true);
    const auto showKeychain = [this] {
        m_keychainStatus->setText(
            !m_secrets->isProbed() ? tr("Checking the system keychain…")
                : m_secrets->isAvailable()
                ? tr("Passwords, tokens and seeds are kept in the system keychain, never in kvdesk's settings.")
                : tr("No system keychain is available (%1). Secrets are not stored: kvdesk asks for them "
                     "when connecting.")
                      .arg(m_secrets->unavailableReason()));
    };
    connect(secrets, &SecretStore::availabilityChanged, this, showKeychain);
    showKeychain();

    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addWidget(m_keychainStatus);
    right->addWidget(m_error);
    right->addStretch(1);
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(buttons);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            showProfile(m_profiles->profile(m_list->item(row)->data(Qt::UserRole).toString()));
    });
    reloadList();
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newProfile();
    resize(820, 520);
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

void ProfileDialog::showProfile(const ConnectionProfile &profile)
{
    m_currentId = profile.id;
    m_name->setText(profile.name);
    m_servers->setText(profile.servers);
    m_authKind->setCurrentIndex(m_authKind->findData(int(profile.authKind)));
    m_user->setText(profile.user);
    m_secret->clear();
    m_secretEdited = false;
    m_secret->setPlaceholderText(profile.needsSecret() ? tr("(unchanged)") : QString());
    m_seedFile->setText(profile.nkeyFile);
    m_credsFile->setText(profile.credsFile);
    m_caFile->setText(profile.tlsCaFile);
    m_certFile->setText(profile.tlsCertFile);
    m_keyFile->setText(profile.tlsKeyFile);
    m_domain->setText(profile.jetStreamDomain);
    m_readOnly->setChecked(profile.readOnly);
    m_color = profile.color;
    m_colorButton->setStyleSheet(m_color.isValid() ? u"background-color: %1"_s.arg(m_color.name()) : QString());
    m_error->setMessage({});
    updateFields();
}

void ProfileDialog::updateFields()
{
    const auto kind = AuthKind(m_authKind->currentData().toInt());
    m_user->setEnabled(kind == AuthKind::UserPassword);
    m_secret->setEnabled(kind == AuthKind::UserPassword || kind == AuthKind::Token || kind == AuthKind::NkeySeed);
    m_seedFile->setEnabled(kind == AuthKind::NkeySeedFile);
    m_credsFile->setEnabled(kind == AuthKind::CredsFile);
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
    profile.jetStreamDomain = m_domain->text().trimmed();
    profile.readOnly = m_readOnly->isChecked();
    profile.color = m_color;
    return profile;
}

QString ProfileDialog::validate(const ConnectionProfile &profile) const
{
    if (profile.name.isEmpty())
        return tr("Give the connection a name.");
    QList<QUrl> urls;
    QString problem;
    if (!NatsConnectOptions::parseServers(profile.servers, &urls, &problem))
        return problem;
    if (profile.authKind == AuthKind::UserPassword && profile.user.isEmpty())
        return tr("User and password authentication needs a user name.");
    if (profile.authKind == AuthKind::NkeySeedFile && profile.nkeyFile.isEmpty())
        return tr("Choose the NKEY seed file.");
    if (profile.authKind == AuthKind::CredsFile && profile.credsFile.isEmpty())
        return tr("Choose the credentials (.creds) file.");
    if (profile.tlsCertFile.isEmpty() != profile.tlsKeyFile.isEmpty())
        return tr("A TLS client certificate needs its key, and the other way round.");
    return {};
}

void ProfileDialog::saveCurrent(bool thenConnect)
{
    const ConnectionProfile profile = formProfile();
    const QString problem = validate(profile);
    if (!problem.isEmpty()) {
        m_error->setMessage(problem);
        return;
    }
    m_profiles->save(profile);
    m_currentId = profile.id;
    reloadList();
    const auto finish = [this, thenConnect, id = profile.id](const QString &note) {
        m_error->setInfo(note);
        if (thenConnect) {
            m_connectId = id;
            accept();
        }
    };
    if (!profile.needsSecret() || !m_secretEdited) {
        finish(tr("Saved."));
        return;
    }
    m_secrets->write(profile.id, m_secret->text(), this, [this, finish](bool ok, const QString &error) {
        m_secret->clear();
        m_secretEdited = false;
        if (ok)
            finish(tr("Saved; the secret is in the system keychain."));
        else
            finish(tr("Saved without the secret: the keychain refused it (%1). kvdesk will ask for it when connecting.")
                       .arg(error));
    });
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
                              tr("Delete the connection \"%1\" and its stored secret?").arg(profile.name))
        != QMessageBox::Yes)
        return;
    m_secrets->remove(profile.id);
    m_profiles->remove(profile.id);
    m_currentId.clear();
    reloadList();
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newProfile();
}

int ProfileDialog::importContexts()
{
    int imported = 0;
    QStringList problems;
    for (const QString &name : NatsCliContext::contextNames()) {
        NatsCliContext context;
        QString problem;
        if (!NatsCliContext::load(name, &context, &problem)) {
            problems.append(problem);
            continue;
        }
        QString secret;
        const ConnectionProfile profile = ConnectionProfile::fromCliContext(context, &secret);
        m_profiles->save(profile);
        if (!secret.isEmpty())
            m_secrets->write(profile.id, secret, this, [](bool, const QString &) {});
        ++imported;
    }
    reloadList();
    if (!problems.isEmpty())
        m_error->setMessage(problems.join(u'\n'));
    return imported;
}
