#include "newkeydialog.h"

#include "errorlabel.h"
#include "expirytext.h"
#include "keyttlfield.h"
#include "kvbucket.h"
#include "kvnames.h"
#include "kvreply.h"
#include "placeholderfit.h"
#include "valueformat.h"

#include <QtGui/QShortcut>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

NewKeyDialog::NewKeyDialog(KvBucket *bucket, QWidget *parent)
    : QDialog(parent)
    , m_bucket(bucket)
    , m_key(new QLineEdit(this))
    , m_format(new QComboBox(this))
    , m_value(new QPlainTextEdit(this))
    , m_ttl(new KeyTtlField(this))
    , m_error(new ErrorLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"newKeyDialog"_s);
    setWindowTitle(tr("New Key in %1").arg(bucket ? bucket->name() : QString()));
    m_key->setObjectName(u"newKeyName"_s);
    m_key->setPlaceholderText(tr("e.g. orders.17.status"));
    m_key->setAccessibleName(tr("Key"));
    m_format->setObjectName(u"newKeyFormat"_s);
    m_format->setToolTip(tr("How the value below is written: as text, as JSON (checked before saving), or as "
                            "base64 for binary bytes"));
    for (const View view : {View::Text, View::Json, View::Base64})
        m_format->addItem(ValueFormat::viewName(view), int(view));
    m_value->setObjectName(u"newKeyValue"_s);
    m_value->setAccessibleName(tr("Value"));
    m_value->setAccessibleDescription(tr("The new key's first value; Tab leaves the field"));
    m_value->setTabChangesFocus(true); // else Tab could never leave it: no keyboard trap
    m_ttl->setObjectName(u"newKeyTtl"_s);
    m_ttl->setBucket(bucket);
    connect(m_ttl, &QLineEdit::textChanged, this, &NewKeyDialog::validate);
    m_error->setObjectName(u"newKeyError"_s);
    QPushButton *create = m_buttons->button(QDialogButtonBox::Ok);
    create->setText(tr("Create"));
    create->setToolTip(tr("Create the key (Ctrl+Enter, from the value too)"));
    // Enter in the value starts a new line; Ctrl+Enter creates the key from any field, as Create would.
    for (const QKeySequence &keys : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        connect(new QShortcut(keys, this), &QShortcut::activated, create, [create] {
            if (create->isEnabled())
                create->click();
        });
    }
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewKeyDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_key, &QLineEdit::textChanged, this, &NewKeyDialog::validate);
    connect(m_value, &QPlainTextEdit::textChanged, this, &NewKeyDialog::validate);
    connect(m_format, &QComboBox::currentIndexChanged, this, &NewKeyDialog::validate);

    auto *form = new QFormLayout;
    form->addRow(tr("&Key:"), m_key);
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("E&xpires after:"), m_ttl);
    // Tab in the order shown: the TTL, made after the value, came after it.
    setTabOrder(m_format, m_ttl);
    setTabOrder(m_ttl, m_value);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_value, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(520, 360);
    validate();
    PlaceholderFit::apply(this);
}

void NewKeyDialog::validate()
{
    if (m_busy) {
        // The fields are read-only and the label says the create is out: nothing to check until it ends.
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        return;
    }
    QString problem = m_key->text().isEmpty() ? QString() : KvNames::validateKey(m_key->text());
    QByteArray value;
    if (problem.isEmpty()) {
        QString error;
        if (!ValueFormat::parse(m_value->toPlainText(), View(m_format->currentData().toInt()), &value, &error)
            && !m_value->toPlainText().isEmpty())
            problem = error;
    }
    qint64 ttlNs = 0;
    if (problem.isEmpty())
        m_ttl->read(&ttlNs, &problem);
    // With the headers the create carries: checked without them, Create stayed enabled for a value the
    // create then refused, the same way at each click.
    if (problem.isEmpty() && m_bucket && !m_key->text().isEmpty())
        problem = m_bucket->checkCreateSize(m_key->text(), value.size(), ttlNs);
    m_error->setMessage(problem);
    if (problem.isEmpty() && m_bucket) {
        // Not an error: the key is created, and lives longer than typed (nats-modern.md §4.2).
        const qint64 kept = m_bucket->boundStatus().config.keptKeyTtl(ttlNs);
        if (kept != ttlNs)
            m_error->setInfo(tr("The key will expire after %1, not %2: in a bucket keeping history, nats-server "
                                "keeps a key at least as long as the bucket's marker TTL.")
                                 .arg(ExpiryText::remaining(kept / 1000000), ExpiryText::remaining(ttlNs / 1000000)));
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty() && !m_key->text().isEmpty());
}

void NewKeyDialog::accept()
{
    if (!m_bucket || m_busy)
        return;
    QByteArray value;
    QString error;
    if (!ValueFormat::parse(m_value->toPlainText(), View(m_format->currentData().toInt()), &value, &error)) {
        m_error->setMessage(error);
        return;
    }
    qint64 ttlNs = 0;
    if (!m_ttl->read(&ttlNs, &error)) {
        m_error->setMessage(error);
        return;
    }
    // What the answer is reported for is what was sent, not what the fields show by then.
    const QString key = m_key->text();
    setBusy(true);
    KvReply *reply = m_bucket->create(key, value, ttlNs);
    m_error->setInfo(tr("Creating \"%1\"… It was sent: this dialog stays open until the server answers, so that "
                        "you see whether it was created.")
                         .arg(key));
    connect(reply, &NatsReply::finished, this, [this, reply, key] {
        reply->deleteLater();
        createFinished(key, reply->errorInfo(), reply->revision());
    });
}

void NewKeyDialog::reject()
{
    // Once sent, a create cannot be called back: closing the dialog would cancel nothing, and its answer
    // (created, refused, or unknown) would reach no one, while the server stores the key. The wait is
    // bounded: the write's retries end (KvBucket::writeRetryMs()), and a create left unanswered ends with
    // Timeout or OutcomeUnknown, said below as "may have been created".
    if (m_busy)
        return;
    QDialog::reject();
}

void NewKeyDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_key->setReadOnly(busy);
    m_value->setReadOnly(busy);
    m_ttl->setReadOnly(busy);
    m_format->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(!busy);
    validate();
}

void NewKeyDialog::createFinished(const QString &key, const NatsError &error, quint64 revision)
{
    setBusy(false);
    if (!error.isError()) {
        m_createdKey = key;
        m_revision = revision;
        QDialog::accept();
        return;
    }
    // validate() has set Create by the fields as they are now; what it found wrong with them, if anything,
    // is said after the answer, which is never hidden.
    const QString problem = m_error->isError() ? m_error->message() : QString();
    QString said;
    const bool unanswered = error.code() == NatsError::Timeout || error.code() == NatsError::OutcomeUnknown;
    if (unanswered) {
        m_unansweredKey = key;
        said = tr("No answer came, so the key \"%1\" may have been created: look for it in the key list "
                  "once this dialog is closed, or press Create again, which says whether it exists. (%2)")
                   .arg(key, error.message());
    } else if (error.code() == NatsError::KeyExists && key == m_unansweredKey) {
        said = tr("%1. Your earlier try, whose answer did not come, may have created it: open it from "
                  "the key list to see its value.")
                   .arg(error.message());
    } else {
        said = error.message();
    }
    m_error->setMessage(problem.isEmpty() ? said : said + u'\n' + problem);
}
