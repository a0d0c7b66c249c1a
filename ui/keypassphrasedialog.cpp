#include "keypassphrasedialog.h"

#include "errorlabel.h"
#include "natstlsconfig.h"
#include "secretstore.h"
#include "wrappedlabel.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

KeyPassphraseDialog::KeyPassphraseDialog(const ConnectionProfile &profile, bool keychainAvailable, const QString &note,
                                         QWidget *parent)
    : QDialog(parent)
    , m_keyFile(profile.tlsKeyFile)
    , m_passphrase(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember it in the system keychain"), this))
    , m_problem(new ErrorLabel(this))
{
    setObjectName(u"keyPassphraseDialog"_s);
    setWindowTitle(tr("Connect to %1").arg(profile.name));
    // As tall as its text at its width: a plain wrapped label was squeezed, cut at the top, when the note
    // of a wrong passphrase appeared under it.
    auto *intro = new WrappedLabel(this);
    intro->setObjectName(u"keyPassphraseIntro"_s);
    intro->setText(tr("The TLS client key %1 is encrypted. Enter its passphrase:").arg(m_keyFile));
    m_passphrase->setObjectName(u"keyPassphrase"_s);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setAccessibleName(tr("Passphrase"));
    m_passphrase->setAccessibleDescription(tr("Decrypts the TLS client key; it is never written to a log"));
    m_remember->setObjectName(u"rememberPassphrase"_s);
    m_remember->setEnabled(keychainAvailable);
    m_remember->setToolTip(keychainAvailable ? tr("Otherwise it is asked for each time you connect.")
                                             : tr("No system keychain is available."));
    m_problem->setObjectName(u"keyPassphraseProblem"_s);
    m_problem->setMessage(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &KeyPassphraseDialog::check);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout;
    form->addRow(tr("&Passphrase:"), m_passphrase);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_remember);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
}

QByteArray KeyPassphraseDialog::passphrase() const
{
    return m_passphrase->text().toUtf8();
}

bool KeyPassphraseDialog::remember() const
{
    return m_remember->isEnabled() && m_remember->isChecked();
}

// Checked here, against the key itself: a wrong passphrase is told in the dialog, not after a failed
// connection attempt.
void KeyPassphraseDialog::check()
{
    if (!NatsTlsConfig::checkKeyPassphrase(m_keyFile, passphrase())) {
        m_problem->setMessage(tr("That passphrase is wrong: it does not open %1.").arg(m_keyFile));
        m_passphrase->selectAll();
        m_passphrase->setFocus();
        return;
    }
    accept();
}

bool KeyPassphraseDialog::isNeeded(const ConnectionProfile &profile)
{
    return !profile.tlsCertFile.isEmpty() && !profile.tlsKeyFile.isEmpty()
        && NatsTlsConfig::isKeyEncrypted(profile.tlsKeyFile);
}

QString KeyPassphraseDialog::keychainId(const QString &profileId)
{
    return profileId + u"/tls-key"_s;
}

void KeyPassphraseDialog::unlock(const ConnectionProfile &profile, SecretStore *secrets, QWidget *parent,
                                 const Callback &done)
{
    const QString id = keychainId(profile.id);
    secrets->read(id, parent, [=](bool found, const QString &stored, const QString &error) {
        if (found && NatsTlsConfig::checkKeyPassphrase(profile.tlsKeyFile, stored.toUtf8())) {
            done(stored.toUtf8());
            return;
        }
        const QString note = found ? tr("The passphrase in the keychain no longer opens the key.")
            : error.isEmpty()      ? QString()
                                   : tr("The keychain could not be read (%1).").arg(error);
        KeyPassphraseDialog dialog(profile, secrets->isAvailable(), note, parent);
        if (dialog.exec() != QDialog::Accepted)
            return;
        QByteArray passphrase = dialog.passphrase();
        if (dialog.remember())
            secrets->write(id, QString::fromUtf8(passphrase), parent, [](bool, const QString &) {});
        else if (found)
            secrets->remove(id); // a stale one would only be tried and refused again
        done(passphrase);
        passphrase.fill('\0');
    });
}
