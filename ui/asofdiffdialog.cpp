#include "asofdiffdialog.h"

#include "difftext.h"
#include "diffview.h"
#include "errorlabel.h"
#include "humanformat.h"
#include "kvasofdiff.h"
#include "kvasofpoint.h"
#include "kvbucket.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

constexpr int kChangeRole = Qt::UserRole + 1; // the row's index in the diff's changes, -1: unanswerable

QString kindText(KvAsOfChange::Kind kind)
{
    switch (kind) {
    case KvAsOfChange::Kind::Added:
        return AsOfDiffDialog::tr("added");
    case KvAsOfChange::Kind::Removed:
        return AsOfDiffDialog::tr("removed");
    case KvAsOfChange::Kind::Changed:
        break;
    }
    return AsOfDiffDialog::tr("changed");
}

QString cannotBeCompared()
{
    return AsOfDiffDialog::tr("cannot be compared");
}

QString revisionText(const std::optional<KvEntry> &entry)
{
    return entry ? HumanFormat::count(qint64(entry->revision)) : QString();
}

} // namespace

AsOfDiffDialog::AsOfDiffDialog(KvBucket *bucket, const QString &from, const QString &keyFilter, QWidget *parent)
    : QDialog(parent)
    , m_bucket(bucket)
    , m_filter(keyFilter)
    , m_from(new QLineEdit(from, this))
    , m_to(new QLineEdit(this))
    , m_compare(new QPushButton(tr("Compare"), this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_summary(new QLabel(this))
    , m_error(new ErrorLabel(this))
    , m_list(new QTreeWidget(this))
    , m_diffView(new DiffView(this))
{
    setObjectName(u"asOfDiffDialog"_s);
    // Named: it stays open when the window opens another bucket.
    setWindowTitle(bucket ? tr("Differences in Time — %1").arg(bucket->name()) : tr("Differences in Time"));
    setUpWidgets();
    const QDialogButtonBox *buttons = layOut();
    resize(760, 560);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_compare, &QPushButton::clicked, this, &AsOfDiffDialog::compare);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_diff)
            m_diff->cancel();
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this, &AsOfDiffDialog::showChange);
    for (QLineEdit *point : {m_from, m_to})
        connect(point, &QLineEdit::textChanged, this, &AsOfDiffDialog::validate);
    validate();
    if (!from.trimmed().isEmpty())
        compare();
}

void AsOfDiffDialog::setUpWidgets()
{
    m_from->setObjectName(u"asOfDiffFrom"_s);
    m_from->setToolTip(
        tr("The earlier point: a revision of the bucket, a time such as 2026-01-31T12:00:00Z, or how long ago, "
           "such as 2h"));
    m_from->setPlaceholderText(tr("revision, time or 1h ago"));
    m_to->setObjectName(u"asOfDiffTo"_s);
    m_to->setPlaceholderText(tr("now"));
    m_compare->setObjectName(u"asOfDiffCompare"_s);
    m_compare->setToolTip(tr("Read the bucket at both points and list the keys that differ"));
    m_cancel->setObjectName(u"asOfDiffCancel"_s);
    m_summary->setObjectName(u"asOfDiffSummary"_s);
    m_summary->setWordWrap(true);
    m_list->setObjectName(u"asOfDiffList"_s);
    m_list->setAccessibleName(tr("Keys that differ"));
    m_list->setAccessibleDescription(tr("Each key added, changed or deleted between the two points; select one to "
                                        "see its values side by side"));
    m_list->setHeaderLabels({tr("Key"), tr("Change"), tr("From"), tr("To")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->resizeSection(0, 200);
    // As wide as the longest a row says: "cannot be compared" was cut to "cannot be co…".
    const QFontMetrics metrics(m_list->font());
    int changeWidth = 0;
    for (const QString &text : {kindText(KvAsOfChange::Kind::Added), kindText(KvAsOfChange::Kind::Removed),
                                kindText(KvAsOfChange::Kind::Changed), cannotBeCompared()})
        changeWidth = std::max(changeWidth, metrics.horizontalAdvance(text));
    m_list->header()->resizeSection(1, changeWidth + 2 * metrics.averageCharWidth());
    m_diffView->setObjectName(u"asOfDiffView"_s);
    m_progress->hide();
    m_cancel->hide();
}

// The two points on top, the run (summary, progress, buttons) below them, then the keys over the diff.
QDialogButtonBox *AsOfDiffDialog::layOut()
{
    auto *points = new QFormLayout;
    points->addRow(tr("&From:"), m_from);
    points->addRow(tr("&To:"), m_to);
    auto *run = new QHBoxLayout;
    run->addWidget(m_summary, 1);
    run->addWidget(m_progress);
    run->addWidget(m_cancel);
    run->addWidget(m_compare);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_list);
    splitter->addWidget(m_diffView);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(points);
    layout->addLayout(run);
    layout->addWidget(m_error);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    return buttons;
}

AsOfDiffDialog::~AsOfDiffDialog() = default;

bool AsOfDiffDialog::isComparing() const
{
    return m_diff && !m_diff->isFinished();
}

QString AsOfDiffDialog::pointProblem(KvAsOfPoint *from, KvAsOfPoint *to) const
{
    QString problem;
    if (m_from->text().trimmed().isEmpty())
        return tr("Type the earlier point in From: a revision, a time or how long ago (1h).");
    if (!KvAsOfPoint::parse(m_from->text(), from, &problem))
        return tr("From: %1").arg(HumanFormat::sentence(problem));
    if (!m_to->text().trimmed().isEmpty() && !KvAsOfPoint::parse(m_to->text(), to, &problem))
        return tr("To: %1").arg(HumanFormat::sentence(problem));
    return {};
}

// As typed, as the other dialogs' fields: an error left from the last compare, or from what was typed
// before, read as about the point typed now.
void AsOfDiffDialog::validate()
{
    KvAsOfPoint from;
    KvAsOfPoint to;
    const QString problem = pointProblem(&from, &to);
    // An empty From is no mistake yet: Compare waits for it, the placeholder says what goes there.
    m_error->setMessage(m_from->text().trimmed().isEmpty() ? QString() : problem);
    m_compare->setEnabled(problem.isEmpty() && !isComparing());
}

void AsOfDiffDialog::compare()
{
    KvAsOfPoint from;
    KvAsOfPoint to;
    if (const QString problem = pointProblem(&from, &to); !problem.isEmpty()) {
        m_error->setMessage(problem);
        return;
    }
    if (!m_bucket || isComparing())
        return;
    m_error->setMessage({});
    m_summary->clear();
    m_list->clear();
    m_diffView->clear();
    if (m_diff)
        m_diff->deleteLater();
    m_diff = new KvAsOfDiff(m_bucket, from, to, m_filter, this);
    connect(m_diff, &KvAsOfDiff::progress, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(total > 0 ? int(1000 * std::min(done, total) / total) : 0);
    });
    connect(m_diff, &KvAsOfDiff::finished, this, &AsOfDiffDialog::onFinished);
    m_summary->setText(tr("Comparing %1 with %2…").arg(from.describe(), to.describe()));
    m_progress->setRange(0, 0);
    m_progress->show();
    m_cancel->show();
    m_compare->setEnabled(false);
}

void AsOfDiffDialog::onFinished()
{
    m_progress->hide();
    m_cancel->hide();
    m_compare->setEnabled(true);
    if (m_diff->error() != NatsError::NoError) {
        // Its error alone: no keys, no summary, no diff of no key ("No differences" read as a result).
        m_summary->clear();
        m_list->clear();
        m_diffView->clear();
        m_error->setMessage(HumanFormat::sentence(m_diff->errorString()));
        Q_EMIT compared();
        return;
    }
    const QList<KvAsOfChange> changes = m_diff->changes();
    int counts[3] = {0, 0, 0};
    for (qsizetype i = 0; i < changes.size(); ++i) {
        const KvAsOfChange &change = changes[i];
        ++counts[int(change.kind)];
        auto *item = new QTreeWidgetItem(
            m_list, {change.key, kindText(change.kind), revisionText(change.from), revisionText(change.to)});
        item->setData(0, kChangeRole, int(i));
    }
    const QStringList unanswerable = m_diff->unanswerableKeys();
    for (const QString &key : unanswerable) {
        auto *item = new QTreeWidgetItem(m_list, {key, cannotBeCompared(), QString(), QString()});
        item->setData(0, kChangeRole, -1);
        item->setToolTip(1,
                         tr("The bucket no longer holds this key's value at one of the points (history limit, "
                            "TTL or purge)"));
    }
    QString summary = tr("Rev %1 → rev %2: %3 added · %4 removed · %5 changed")
                          .arg(HumanFormat::count(qint64(m_diff->fromRevision())),
                               HumanFormat::count(qint64(m_diff->toRevision())))
                          .arg(counts[int(KvAsOfChange::Kind::Added)])
                          .arg(counts[int(KvAsOfChange::Kind::Removed)])
                          .arg(counts[int(KvAsOfChange::Kind::Changed)]);
    if (!unanswerable.isEmpty())
        summary += tr(" · %n cannot be compared", nullptr, int(unanswerable.size()));
    if (!m_diff->isComplete())
        summary += u"\n"_s + HumanFormat::sentence(m_diff->incompleteReason());
    m_summary->setText(summary);
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    Q_EMIT compared();
}

void AsOfDiffDialog::showChange(QTreeWidgetItem *item)
{
    const int index = item && m_diff ? item->data(0, kChangeRole).toInt() : -1;
    const QList<KvAsOfChange> changes = m_diff ? m_diff->changes() : QList<KvAsOfChange>();
    if (index < 0 || index >= changes.size()) {
        m_diffView->clear(); // no key, nothing compared
        return;
    }
    const KvAsOfChange &change = changes[index];
    const DiffText::Pair texts = DiffText::forPair(change.from ? change.from->value : QByteArray(),
                                                   change.to ? change.to->value : QByteArray());
    const QString note = texts.normalized ? tr(" · JSON, keys sorted") : QString();
    const auto title = [&note](const std::optional<KvEntry> &entry, quint64 point) -> QString {
        if (!entry)
            return tr("absent at rev %1").arg(HumanFormat::count(qint64(point)));
        return tr("rev %1 · %2")
                   .arg(HumanFormat::count(qint64(entry->revision)), HumanFormat::localTime(entry->created))
            + note;
    };
    m_diffView->setTexts(title(change.from, m_diff->fromRevision()), change.from ? texts.left : QString(),
                         title(change.to, m_diff->toRevision()), change.to ? texts.right : QString());
}
