#include "bucketdialog.h"

#include "bucketfeaturesbox.h"
#include "errorlabel.h"
#include "jsservercapabilities.h"
#include "kvnames.h"
#include "kvunits.h"
#include "placeholderfit.h"

#include <QtCore/QLocale>
#include <QtCore/QMetaMethod>
#include <QtGui/QKeyEvent>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

QLineEdit *lineEdit(QWidget *parent, const QString &objectName, const QString &placeholder)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(placeholder);
    return edit;
}

// The standard spin box drops a keystroke that would leave its range without a word ("70" in a box of
// 1 to 64 stays "7"). This one keeps a number out of range as typed, for the form to say what is wrong
// with it (the box showed "9" while the note spoke of the "99" typed); what is not a number it still
// drops, and tells refused() what was, so the dialog says why.
class RefusingSpinBox final : public QSpinBox
{
public:
    using QSpinBox::QSpinBox;
    std::function<void(const QString &input)> refused;

    QValidator::State validate(QString &input, int &pos) const override
    {
        const QValidator::State state = QSpinBox::validate(input, pos);
        if (state != QValidator::Invalid)
            return state;
        bool number = false;
        input.trimmed().toLongLong(&number);
        if (number)
            return QValidator::Intermediate;
        if (refused)
            refused(input);
        return state;
    }

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        // Enter puts the box back to its last value in range before the dialog takes the key: the form
        // would be accepted with a number the user did not type. The error under the form says why not.
        if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && !hasAcceptableInput()) {
            event->accept();
            return;
        }
        QSpinBox::keyPressEvent(event);
    }
};

} // namespace

BucketDialog::BucketDialog(Mode mode, QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
{
    setWindowTitle(mode == Mode::Create ? tr("New Bucket") : tr("Edit Bucket"));
    setObjectName(u"bucketDialog"_s);

    // Made in the order shown: Tab follows the order widgets were made in.
    QFormLayout *form = createBasicForm(mode);
    m_features = new BucketFeaturesBox(this);
    connect(m_features, &BucketFeaturesBox::changed, this, &BucketDialog::validate);
    QGroupBox *advanced = createAdvancedGroup(mode);

    m_errorLabel = new ErrorLabel(this);
    m_errorLabel->setObjectName(u"errorLabel"_s);
    m_errorLabel->reserveRoom(2); // most problems take a line or two: the dialog neither grows nor moves for them

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(mode == Mode::Create ? tr("Create") : tr("Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_features);
    layout->addWidget(advanced);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_name, m_description, m_ttl, m_maxBytes, m_maxValueSize, m_placementCluster,
                            m_placementTags, m_republishSource, m_republishDestination, m_mirror, m_sources}) {
        connect(edit, &QLineEdit::textChanged, this, &BucketDialog::validate);
        connect(edit, &QLineEdit::textEdited, this, &BucketDialog::showProblems);
    }
    connect(m_history, &QSpinBox::valueChanged, this, &BucketDialog::showProblems);
    // A number out of range stays as typed (RefusingSpinBox) and changes no value: the form follows the text.
    // (The box's own line: QSpinBox::textChanged comes only with a value.)
    connect(m_history->findChild<QLineEdit *>(), &QLineEdit::textChanged, this, [this] {
        m_historyRefused.clear();
        if (m_history->hasAcceptableInput())
            validate();
        else
            showProblems();
    });
    connect(m_replicas, &QSpinBox::valueChanged, this, &BucketDialog::showProblems);
    validate();
    PlaceholderFit::apply(this);
}

QFormLayout *BucketDialog::createBasicForm(Mode mode)
{
    m_name = lineEdit(this, u"bucketName"_s, tr("letters, digits, - and _"));
    m_name->setEnabled(mode == Mode::Create);
    m_description = lineEdit(this, u"description"_s, tr("optional"));
    auto *history = new RefusingSpinBox(this);
    history->refused = [this](const QString &input) { refuseHistory(input); };
    m_history = history;
    m_history->setObjectName(u"history"_s);
    m_history->setRange(1, KvBucketConfig::MaxHistory);
    m_history->setAccessibleName(tr("History"));
    m_history->setToolTip(
        tr("How many revisions of each key the bucket keeps (1 to %1)").arg(KvBucketConfig::MaxHistory));
    m_ttl = lineEdit(this, u"ttl"_s, tr("none, or e.g. 90s, 1h30m, 7d"));
    m_maxBytes = lineEdit(this, u"maxBytes"_s, tr("unlimited, or e.g. 100MiB"));
    m_maxValueSize = lineEdit(this, u"maxValueSize"_s, tr("unlimited, or e.g. 64KiB"));
    m_storage = new QComboBox(this);
    m_storage->setObjectName(u"storage"_s);
    m_storage->addItem(tr("File"), int(KvBucketConfig::Storage::File));
    m_storage->addItem(tr("Memory"), int(KvBucketConfig::Storage::Memory));
    m_storage->setEnabled(mode == Mode::Create); // the server cannot change storage
    m_storage->setAccessibleName(tr("Storage"));
    m_storage->setToolTip(mode == Mode::Create ? tr("File survives a server restart; memory is faster and does not")
                                               : tr("The server cannot change a bucket's storage"));
    m_replicas = new QSpinBox(this);
    m_replicas->setObjectName(u"replicas"_s);
    m_replicas->setRange(1, 5);
    m_replicas->setAccessibleName(tr("Replicas"));
    m_replicas->setToolTip(tr("On how many servers of a cluster each value is kept (1 on a single server)"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("&History (revisions per key, 1–%1):").arg(KvBucketConfig::MaxHistory), m_history);
    form->addRow(tr("&TTL:"), m_ttl);
    form->addRow(tr("Max bucket &size:"), m_maxBytes);
    form->addRow(tr("Max &value size:"), m_maxValueSize);
    form->addRow(tr("St&orage:"), m_storage);
    form->addRow(tr("&Replicas:"), m_replicas);
    return form;
}

// What few buckets need, grouped below the rest.
QGroupBox *BucketDialog::createAdvancedGroup(Mode mode)
{
    auto *advanced = new QGroupBox(tr("Placement, republish, mirror and sources"), this);
    advanced->setCheckable(false);
    auto *advancedForm = new QFormLayout(advanced);
    m_placementCluster = lineEdit(advanced, u"placementCluster"_s, tr("cluster name"));
    m_placementTags = lineEdit(advanced, u"placementTags"_s, tr("tags, comma separated"));
    m_republishSource = lineEdit(advanced, u"republishSource"_s, tr("e.g. $KV.bucket.>"));
    m_republishDestination = lineEdit(advanced, u"republishDestination"_s, tr("subject to republish to"));
    m_republishHeadersOnly = new QCheckBox(tr("Headers only"), advanced);
    m_republishHeadersOnly->setObjectName(u"republishHeadersOnly"_s);
    m_republishHeadersOnly->setToolTip(tr("Republish each change's headers without its value"));
    m_mirror = lineEdit(advanced, u"mirror"_s, tr("bucket to mirror"));
    m_sources = lineEdit(advanced, u"sources"_s, tr("buckets to source from, comma separated"));
    m_mirror->setEnabled(mode == Mode::Create);
    advancedForm->addRow(tr("Placement cluster:"), m_placementCluster);
    advancedForm->addRow(tr("Placement tags:"), m_placementTags);
    advancedForm->addRow(tr("Republish source:"), m_republishSource);
    advancedForm->addRow(tr("Republish destination:"), m_republishDestination);
    advancedForm->addRow(QString(), m_republishHeadersOnly);
    advancedForm->addRow(tr("Mirror of:"), m_mirror);
    advancedForm->addRow(tr("Sources:"), m_sources);
    return advanced;
}

void BucketDialog::setServer(JsServerCapabilities *server)
{
    m_features->setServer(server);
    using Feature = JsServerCapabilities::Feature;
    // Sources work everywhere, but before 2.10 no subject transform moves their keys under this bucket's
    // name: the bucket then only collects (as nats.go does there). Say so where the user types them.
    if (server && !server->supports(Feature::SubjectTransforms))
        m_sources->setToolTip(tr("%1. Here a bucket of sources only collects their entries under their own "
                                 "names: it has no keys of its own to read or write.")
                                  .arg(server->refusal(Feature::SubjectTransforms).message()));
}

void BucketDialog::setConfig(const KvBucketConfig &config, const QMap<QString, QString> &serverMetadata)
{
    m_original = config;
    m_features->setConfig(config, serverMetadata);
    m_name->setText(config.bucket);
    m_description->setText(config.description);
    m_history->setValue(config.history);
    // Exact, so an unchanged limit reads back as the same value.
    m_ttl->setText(config.ttlMs > 0 ? KvUnits::typedDuration(config.ttlMs) : QString());
    m_maxBytes->setText(config.maxBytes > 0 ? KvUnits::typedSize(config.maxBytes) : QString());
    m_maxValueSize->setText(config.maxValueSize > 0 ? KvUnits::typedSize(config.maxValueSize) : QString());
    m_storage->setCurrentIndex(config.storage == KvBucketConfig::Storage::Memory ? 1 : 0);
    m_replicas->setValue(config.replicas);
    m_placementCluster->setText(config.placement.cluster);
    m_placementTags->setText(config.placement.tags.join(u", "_s));
    m_republishSource->setText(config.republish.source);
    m_republishDestination->setText(config.republish.destination);
    m_republishHeadersOnly->setChecked(config.republish.headersOnly);
    m_mirror->setText(config.mirror.name);
    QStringList sources;
    for (const JsStreamSource &source : config.sources)
        sources.append(source.name);
    m_sources->setText(sources.join(u", "_s));
    validate();
}

// Every problem of the form at once, one per line, in the form's order (the name first): fixing one
// does not reveal the next.
bool BucketDialog::readConfig(KvBucketConfig *config, QString *error) const
{
    KvBucketConfig c = m_original;
    c.bucket = m_name->text().trimmed();
    c.description = m_description->text();
    c.history = m_history->value();
    c.replicas = m_replicas->value();
    c.storage = KvBucketConfig::Storage(m_storage->currentData().toInt());
    QStringList problems;
    if (const QString nameProblem = KvNames::validateBucketName(c.bucket); !nameProblem.isEmpty())
        problems.append(nameProblem);
    if (const QString historyProblem = this->historyProblem(); !historyProblem.isEmpty())
        problems.append(historyProblem);
    readLimits(&c, &problems);
    readPlacement(&c, &problems);
    if (QString featureProblem; !m_features->apply(&c, &featureProblem))
        problems.append(featureProblem);
    // The rest (how the fields go together), once each field reads.
    if (const QString problem = problems.isEmpty() ? c.validate() : QString(); !problem.isEmpty())
        problems.append(problem);
    if (!problems.isEmpty()) {
        *error = problems.join(u'\n');
        return false;
    }
    *config = c;
    return true;
}

// The TTL (empty: values never expire) and the sizes (empty: unlimited, -1).
void BucketDialog::readLimits(KvBucketConfig *c, QStringList *problems) const
{
    QString problem;
    c->ttlMs = 0;
    if (!m_ttl->text().trimmed().isEmpty() && !KvUnits::parseMilliseconds(m_ttl->text(), &c->ttlMs, &problem))
        problems->append(tr("TTL: %1").arg(problem));
    const auto readSize = [&](QLineEdit *edit, qint64 *out, const QString &label) {
        *out = -1;
        if (edit->text().trimmed().isEmpty())
            return;
        problem.clear();
        if (!KvUnits::parseSize(edit->text(), out, &problem) || *out <= 0)
            problems->append(tr("%1: %2").arg(label, problem.isEmpty() ? tr("must be more than 0") : problem));
    };
    readSize(m_maxBytes, &c->maxBytes, tr("Max bucket size"));
    readSize(m_maxValueSize, &c->maxValueSize, tr("Max value size"));
    // Here, with the field's name and beside the other fields' problems: the configuration's own check
    // comes only once every field reads, and names no field.
    if (c->maxValueSize > KvBucketConfig::LargestMaxValueSize) {
        problems->append(
            tr("Max value size: at most %1 bytes (just under 2 GiB), not %2")
                .arg(QLocale().toString(KvBucketConfig::LargestMaxValueSize), m_maxValueSize->text().trimmed()));
    }
}

// What is wrong with the number in History as typed (RefusingSpinBox keeps one out of range), if anything.
QString BucketDialog::historyProblem() const
{
    if (m_history->hasAcceptableInput())
        return {};
    const QString typed = m_history->cleanText().trimmed();
    bool number = false;
    const qint64 value = typed.toLongLong(&number);
    if (!number)
        return tr("History: empty: a bucket keeps 1 to %1 revisions per key.").arg(KvBucketConfig::MaxHistory);
    if (value > KvBucketConfig::MaxHistory)
        return tr("History: %1 is more than a bucket can keep: 1 to %2 revisions per key.")
            .arg(value)
            .arg(KvBucketConfig::MaxHistory);
    return tr("History: %1 is too few: a bucket keeps 1 to %2 revisions per key.")
        .arg(value)
        .arg(KvBucketConfig::MaxHistory);
}

// Where the bucket lives and what it takes from or gives to other streams: placement, republish, the
// mirror (only when creating) and the sources.
void BucketDialog::readPlacement(KvBucketConfig *c, QStringList *problems) const
{
    c->placement.cluster = m_placementCluster->text().trimmed();
    c->placement.tags.clear();
    for (const QString &tag : m_placementTags->text().split(u',', Qt::SkipEmptyParts))
        c->placement.tags.append(tag.trimmed());
    c->republish.source = m_republishSource->text().trimmed();
    c->republish.destination = m_republishDestination->text().trimmed();
    c->republish.headersOnly = m_republishHeadersOnly->isChecked();
    if (m_mode == Mode::Create)
        c->mirror.name = m_mirror->text().trimmed();
    c->sources.clear();
    for (const QString &name : m_sources->text().split(u',', Qt::SkipEmptyParts)) {
        JsStreamSource source;
        source.name = name.trimmed();
        const QString nameProblem = KvNames::validateBucketName(source.name.startsWith("KV_"_L1) ? source.name.mid(3)
                                                                                                 : source.name);
        if (!nameProblem.isEmpty()) {
            problems->append(tr("Sources: %1").arg(nameProblem));
            return;
        }
        c->sources.append(source);
    }
}

// What was typed in History and refused (not a number), with why, until History is typed in again: the
// value kept is a valid one, so this is no problem of the form. A number out of range is kept as typed, and
// is one (historyProblem()).
void BucketDialog::refuseHistory(const QString &input)
{
    m_historyRefused = tr("History: \"%1\" is not a number: a bucket keeps 1 to %2 revisions per key.")
                           .arg(input.trimmed())
                           .arg(KvBucketConfig::MaxHistory);
    validate();
}

void BucketDialog::validate()
{
    KvBucketConfig config;
    m_error.clear();
    if (!readConfig(&config, &m_error) && m_error.isEmpty())
        m_error = tr("invalid configuration");
    const QString problems = m_showProblems ? m_error : QString();
    if (!m_historyRefused.isEmpty() && problems.isEmpty())
        m_errorLabel->setInfo(m_historyRefused);
    else if (!m_historyRefused.isEmpty())
        m_errorLabel->setMessage(problems + u'\n' + m_historyRefused);
    else
        m_errorLabel->setMessage(problems);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_waiting && (m_error.isEmpty() || !m_showProblems));
}

void BucketDialog::showProblems()
{
    m_showProblems = true;
    validate();
}

void BucketDialog::accept()
{
    showProblems();
    if (!m_error.isEmpty() || m_waiting)
        return;
    if (!isSignalConnected(QMetaMethod::fromSignal(&BucketDialog::submitted))) {
        QDialog::accept();
        return;
    }
    m_waiting = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_errorLabel->setInfo(m_mode == Mode::Create ? tr("Creating the bucket…") : tr("Saving the settings…"));
    Q_EMIT submitted(config());
}

void BucketDialog::serverAnswered(const QString &refusal)
{
    m_waiting = false;
    if (refusal.isEmpty()) {
        QDialog::accept();
        return;
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    m_errorLabel->setMessage(refusal); // until the form changes (validate())
}

KvBucketConfig BucketDialog::config() const
{
    KvBucketConfig config;
    QString error;
    readConfig(&config, &error);
    return config;
}
