#include "openkeydialog.h"

#include "errorlabel.h"
#include "kvbucket.h"
#include "kvnames.h"
#include "kvreply.h"
#include "placeholderfit.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

OpenKeyDialog::OpenKeyDialog(KvBucket *bucket, QWidget *parent)
    : QDialog(parent)
    , m_bucket(bucket)
    , m_key(new QLineEdit(this))
    , m_error(new ErrorLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"openKeyDialog"_s);
    setWindowTitle(tr("Open Key in %1").arg(bucket ? bucket->name() : QString()));
    m_key->setObjectName(u"openKeyName"_s);
    m_key->setPlaceholderText(tr("e.g. orders.17.status"));
    m_key->setAccessibleName(tr("Key"));
    m_error->setObjectName(u"openKeyError"_s);
    m_error->reserveRoom(2); // a message neither grows nor moves the dialog
    connect(m_key, &QLineEdit::textChanged, this, &OpenKeyDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &OpenKeyDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Key:"), m_key);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    resize(460, sizeHint().height());
    validate();
    PlaceholderFit::apply(this);
}

QString OpenKeyDialog::key() const
{
    return m_key->text();
}

void OpenKeyDialog::validate()
{
    // A key that is there, which another client may have named with any characters (not only nats.go's).
    const QString problem = m_key->text().isEmpty() ? QString() : KvNames::validateExistingKey(m_key->text());
    m_error->setMessage(problem);
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(problem.isEmpty() && !m_key->text().isEmpty() && !m_busy);
}

void OpenKeyDialog::accept()
{
    if (!m_bucket || m_busy || !m_buttons->button(QDialogButtonBox::Open)->isEnabled())
        return;
    m_busy = true;
    validate();
    m_key->setReadOnly(true); // the key being read is the one opened
    KvReply *reply = m_bucket->get(m_key->text());
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_busy = false;
        m_key->setReadOnly(false);
        // A marker is something to open (the panel says what removed the value, the history what it
        // was); a key never written, or an error (refused, no answer), keeps the dialog with the reason.
        const bool marker = reply->error() == NatsError::KeyNotFound && reply->entry().revision > 0;
        if (reply->error() != NatsError::NoError && !marker) {
            validate();
            m_error->setMessage(reply->errorString());
            return;
        }
        QDialog::accept();
    });
}
