#include "purgedialog.h"

#include "errorlabel.h"
#include "expirytext.h"
#include "humanformat.h"
#include "keyttlfield.h"
#include "kvbucket.h"
#include "placeholderfit.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStyle>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

PurgeDialog::PurgeDialog(KvBucket *bucket, const QString &key, QWidget *parent)
    : PurgeDialog(
        bucket, tr("Purge Key"),
        tr("Purge key \"%1\"? This removes the key and every revision of its history. It cannot be undone.").arg(key),
        parent)
{
}

PurgeDialog::PurgeDialog(KvBucket *bucket, const QStringList &keys, QWidget *parent)
    : PurgeDialog(bucket, tr("Purge Keys"),
                  tr("Purge these %1 keys? This removes each key and every revision of its history. It cannot be "
                     "undone.\n\n%2")
                      .arg(HumanFormat::count(keys.size()), HumanFormat::lines(keys)),
                  parent)
{
}

PurgeDialog::PurgeDialog(KvBucket *bucket, const QString &title, const QString &question, QWidget *parent)
    : QDialog(parent)
    , m_bucket(bucket)
    , m_ttl(new KeyTtlField(this))
    , m_error(new ErrorLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Yes | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"purgeDialog"_s);
    setWindowTitle(title);
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32));
    auto *text = new QLabel(question, this);
    text->setObjectName(u"purgeQuestion"_s);
    text->setTextFormat(Qt::PlainText); // key names, never markup
    text->setWordWrap(true);
    m_ttl->setObjectName(u"purgeTtl"_s);
    m_error->setObjectName(u"purgeNote"_s);
    m_ttl->setBucket(bucket);
    m_buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    m_buttons->button(QDialogButtonBox::Yes)->setText(tr("Purge"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PurgeDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ttl, &QLineEdit::textChanged, this, &PurgeDialog::validate);

    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addWidget(text, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("Remove the purge &marker after:"), m_ttl);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    PlaceholderFit::apply(this);
}

void PurgeDialog::validate()
{
    qint64 ns = 0;
    QString problem;
    m_ttl->read(&ns, &problem);
    m_error->setMessage(problem);
    if (problem.isEmpty() && m_bucket && m_bucket->isBound()) {
        // Not an error: the marker goes later than typed (nats-modern.md §4.2), which the user should know.
        const qint64 kept = m_bucket->boundStatus().config.keptKeyTtl(ns);
        if (kept != ns)
            m_error->setInfo(tr("The purge marker will go after %1, not %2: in a bucket keeping history, "
                                "nats-server keeps a marker at least as long as the bucket's marker TTL.")
                                 .arg(ExpiryText::remaining(kept / 1000000), ExpiryText::remaining(ns / 1000000)));
    }
    m_buttons->button(QDialogButtonBox::Yes)->setEnabled(problem.isEmpty());
}

void PurgeDialog::accept()
{
    QString problem;
    if (!m_ttl->read(&m_ttlNs, &problem)) {
        m_error->setMessage(problem);
        return;
    }
    QDialog::accept();
}
