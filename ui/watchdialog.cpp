#include "watchdialog.h"

#include "errorlabel.h"
#include "humanformat.h"
#include "kvnames.h"
#include "placeholderfit.h"

#include <QtCore/QRegularExpression>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

WatchDialog::WatchDialog(const QStringList &buckets, QWidget *parent)
    : QDialog(parent)
    , m_bucket(new QComboBox(this))
    , m_filter(new QLineEdit(this))
    , m_includeHistory(new QCheckBox(tr("Include &history: every kept revision first, oldest first"), this))
    , m_updatesOnly(new QCheckBox(tr("&Updates only: nothing that is already stored"), this))
    , m_ignoreDeletes(new QCheckBox(tr("Ignore &deletes and purges"), this))
    , m_metaOnly(new QCheckBox(tr("&Metadata only: key, revision and size, no values"), this))
    , m_resumeFrom(new QLineEdit(this))
    , m_error(new ErrorLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"watchDialog"_s);
    setWindowTitle(tr("New Watch"));
    m_bucket->setObjectName(u"watchBucket"_s);
    m_bucket->setEditable(true);
    m_bucket->addItems(buckets);
    m_bucket->setAccessibleName(tr("Bucket"));
    m_filter->setObjectName(u"watchFilter"_s);
    m_filter->setAccessibleName(tr("Key filter"));
    m_filter->setPlaceholderText(tr("empty: every key; or orders.>  sessions.*.state"));
    m_resumeFrom->setObjectName(u"watchResumeFrom"_s);
    m_resumeFrom->setAccessibleName(tr("Resume from revision"));
    m_resumeFrom->setPlaceholderText(tr("off"));
    m_includeHistory->setObjectName(u"watchIncludeHistory"_s);
    m_updatesOnly->setObjectName(u"watchUpdatesOnly"_s);
    m_ignoreDeletes->setObjectName(u"watchIgnoreDeletes"_s);
    m_metaOnly->setObjectName(u"watchMetaOnly"_s);
    describeFields();
    m_error->reserveRoom(2); // a problem of a line or two neither grows the dialog nor moves it
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Watch"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Bucket:"), m_bucket);
    form->addRow(tr("&Keys:"), m_filter);
    form->addRow(QString(), m_includeHistory);
    form->addRow(QString(), m_updatesOnly);
    form->addRow(QString(), m_ignoreDeletes);
    form->addRow(QString(), m_metaOnly);
    form->addRow(tr("&Resume from revision:"), m_resumeFrom);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_bucket, &QComboBox::currentTextChanged, this, &WatchDialog::validate);
    connect(m_filter, &QLineEdit::textChanged, this, &WatchDialog::validate);
    connect(m_resumeFrom, &QLineEdit::textChanged, this, &WatchDialog::validate);
    for (QCheckBox *box : {m_includeHistory, m_updatesOnly, m_ignoreDeletes, m_metaOnly})
        connect(box, &QCheckBox::toggled, this, &WatchDialog::validate);
    m_filter->setFocus();
    validate();
    PlaceholderFit::apply(this);
}

void WatchDialog::setBucket(const QString &bucket)
{
    if (bucket.isEmpty())
        return;
    if (m_bucket->findText(bucket) < 0)
        m_bucket->addItem(bucket);
    m_bucket->setCurrentText(bucket);
}

void WatchDialog::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

void WatchDialog::setOptions(const KvWatchOptions &options)
{
    m_includeHistory->setChecked(options.includeHistory);
    m_updatesOnly->setChecked(options.updatesOnly);
    m_ignoreDeletes->setChecked(options.ignoreDeletes);
    m_metaOnly->setChecked(options.metaOnly);
    m_resumeFrom->setText(options.resumeFromRevision > 0 ? QString::number(options.resumeFromRevision) : QString());
}

QString WatchDialog::bucket() const
{
    return m_bucket->currentText().trimmed();
}

QStringList WatchDialog::filters() const
{
    static const QRegularExpression separators(u"[\\s,]+"_s);
    return m_filter->text().split(separators, Qt::SkipEmptyParts);
}

KvWatchOptions WatchDialog::options() const
{
    KvWatchOptions options;
    options.includeHistory = m_includeHistory->isChecked();
    options.updatesOnly = m_updatesOnly->isChecked();
    options.ignoreDeletes = m_ignoreDeletes->isChecked();
    options.metaOnly = m_metaOnly->isChecked();
    options.resumeFromRevision = m_resumeFrom->text().trimmed().toULongLong();
    return options;
}

QString WatchDialog::problem() const
{
    if (bucket().isEmpty())
        return tr("Choose a bucket.");
    QString problem = KvNames::validateBucketName(bucket());
    if (!problem.isEmpty())
        return HumanFormat::sentence(problem);
    for (const QString &filter : filters()) {
        problem = KvNames::validateKeyFilter(filter);
        if (!problem.isEmpty())
            return HumanFormat::sentence(problem);
    }
    const QString resume = m_resumeFrom->text().trimmed();
    bool ok = true;
    if (!resume.isEmpty() && (resume.toULongLong(&ok) == 0 || !ok))
        return tr("\"%1\" is not a revision: use a whole number from 1, or leave it empty.").arg(resume);
    problem = options().validate();
    return problem.isEmpty() ? QString() : tr("These options do not go together: %1.").arg(problem);
}

void WatchDialog::accept()
{
    if (problem().isEmpty())
        QDialog::accept();
}

// What each field does, in its tooltip (and so for a screen reader, its description).
void WatchDialog::describeFields()
{
    m_bucket->setToolTip(tr("The bucket whose changes to show"));
    m_filter->setToolTip(tr("One or more key filters separated by spaces. \"*\" matches one token, a final \">\" "
                            "the rest of the key."));
    m_resumeFrom->setToolTip(tr("Start at this revision of the bucket (for example right after the last one you "
                                "saw) instead of the current values."));
    m_includeHistory->setToolTip(tr("Before the live changes, every revision the bucket still keeps"));
    m_updatesOnly->setToolTip(tr("Start empty and show only what changes from now on"));
    m_ignoreDeletes->setToolTip(tr("Deletes and purges are left out of the feed"));
    m_metaOnly->setToolTip(tr("Less traffic for large values: the feed shows their size instead"));
}

void WatchDialog::validate()
{
    const QString text = problem();
    m_error->setMessage(text);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(text.isEmpty());
}
