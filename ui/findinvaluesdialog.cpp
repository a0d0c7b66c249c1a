#include "findinvaluesdialog.h"

#include "decodesizecap.h"
#include "humanformat.h"
#include "kvbucket.h"
#include "valuesearch.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

FindInValuesDialog::FindInValuesDialog(KvBucket *bucket, const QStringList &keys, const QString &folder,
                                       QWidget *parent)
    : QDialog(parent)
    , m_bucket(bucket)
    , m_keys(keys)
    , m_mode(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_folder(new QLineEdit(folder, this))
    , m_start(new QPushButton(tr("Fi&nd"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_results(new QListWidget(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Find in Values"));
    m_mode->setObjectName(u"findMode"_s);
    m_mode->setToolTip(tr("Text finds the words in any value; a JSON path ($.a.b) finds values that have it"));
    m_mode->addItem(tr("Text"), int(ValueSearch::Mode::Text));
    m_mode->addItem(tr("JSON path"), int(ValueSearch::Mode::JsonPath));
    m_text->setObjectName(u"findText"_s);
    m_folder->setObjectName(u"findFolder"_s);
    m_folder->setPlaceholderText(tr("the whole bucket"));
    m_start->setObjectName(u"findStart"_s);
    m_start->setToolTip(tr("Read the values of the bucket (or folder) and list the keys that match"));
    m_start->setDefault(true);
    m_start->setEnabled(false);
    m_cancel->setObjectName(u"findCancel"_s);
    m_cancel->setToolTip(tr("Stop reading; the keys found so far stay listed"));
    m_cancel->setEnabled(false);
    m_progress->setObjectName(u"findProgress"_s);
    m_results->setObjectName(u"findResults"_s);
    m_results->setAccessibleName(tr("Matching keys"));
    m_results->setAccessibleDescription(tr("Activate a key to open it in the value panel"));
    m_status->setObjectName(u"findStatus"_s);
    m_status->setWordWrap(true);
    QDialogButtonBox *buttons = layoutWidgets();
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_start->setEnabled(!m_text->text().isEmpty()); });
    connect(m_start, &QPushButton::clicked, this, &FindInValuesDialog::startSearch);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &FindInValuesDialog::onModeChanged);
    onModeChanged();
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_search)
            m_search->cancel();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_results, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT keyActivated(item->data(Qt::UserRole).toString()); });
    resize(640, 420);
}

QDialogButtonBox *FindInValuesDialog::layoutWidgets()
{
    auto *form = new QFormLayout;
    form->addRow(tr("&Search by:"), m_mode);
    form->addRow(tr("&Find:"), m_text);
    form->addRow(tr("F&older:"), m_folder);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_start, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    return buttons;
}

void FindInValuesDialog::startSearch()
{
    if (m_search) {
        m_search->cancel();
        m_search->deleteLater();
    }
    m_results->clear();
    ValueSearch::Options options;
    options.text = m_text->text();
    options.mode = ValueSearch::Mode(m_mode->currentData().toInt());
    options.codec.maxOutputSize = DecodeSizeCap::bytes();
    const QStringList keys = ValueSearch::keysIn(m_keys, m_folder->text().trimmed());
    m_search = new ValueSearch(m_bucket, keys, options, this);
    m_progress->setRange(0, int(std::min<qsizetype>(m_search->totalCount(), INT_MAX)));
    m_progress->setValue(0);
    // Keys, not values: a deleted key in the list has none, which only its read tells.
    m_status->setText(m_search->totalCount() == 1
                          ? tr("Searching the value of 1 key…")
                          : tr("Searching the values of %1 keys…").arg(HumanFormat::count(m_search->totalCount())));
    connect(m_search, &ValueSearch::progress, this,
            [this](qsizetype searched) { m_progress->setValue(int(std::min<qsizetype>(searched, INT_MAX))); });
    connect(m_search, &ValueSearch::matchFound, this, [this](const ValueSearch::Match &match) {
        QString text = match.key;
        if (!match.chain.isEmpty())
            text += u"  ["_s + match.chain + u']';
        auto *item = new QListWidgetItem(text + u"  "_s + match.snippet, m_results);
        item->setData(Qt::UserRole, match.key);
    });
    connect(m_search, &ValueSearch::finished, this, &FindInValuesDialog::showFinished);
    m_cancel->setEnabled(true);
    m_search->start();
}

void FindInValuesDialog::onModeChanged()
{
    if (ValueSearch::Mode(m_mode->currentData().toInt()) == ValueSearch::Mode::JsonPath) {
        m_text->setPlaceholderText(tr("$.customer.id == 42"));
        m_text->setToolTip(tr("A path into the decoded JSON value: names joined by dots ($. in front optional), "
                              "[N] an element, * every member; then ==, !=, <, <=, >, >= or ~ (contains) and "
                              "a value (42, \"text\", true, null, or a word). Without a comparison: the path "
                              "exists. Values that are not JSON do not match."));
    } else {
        m_text->setPlaceholderText(tr("text in the value as shown"));
        m_text->setToolTip(QString());
    }
}

void FindInValuesDialog::showFinished()
{
    m_cancel->setEnabled(false);
    const qsizetype found = m_search->matches().size();
    const QString matches = found == 1 ? tr("1 match") : tr("%1 matches").arg(HumanFormat::count(found));
    // The values searched: a deleted key (in the list when deleted keys are kept) has no value.
    const qsizetype searched = m_search->valueCount();
    const QString values = searched == 1 ? tr("1 value") : tr("%1 values").arg(HumanFormat::count(searched));
    QString text = tr("%1 in %2").arg(matches, values);
    const QString keys = HumanFormat::count(m_search->totalCount());
    if (!m_search->errorString().isEmpty())
        text = tr("%1; stopped: %2").arg(text, m_search->errorString());
    else if (m_search->isCancelled())
        text = tr("%1; cancelled after %2 of %3 keys").arg(text, HumanFormat::count(m_search->searchedCount()), keys);
    else if (m_search->isCapped())
        text = tr("%1; stopped at the cap (of %2 keys)").arg(text, keys);
    m_status->setText(text);
}
