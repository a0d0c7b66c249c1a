#include "asofbar.h"

#include "appearance.h"
#include "asofdiffdialog.h"
#include "asofview.h"
#include "errorlabel.h"
#include "humanformat.h"
#include "kvasofread.h"
#include "kvbucket.h"
#include "kvrestorejob.h"

#include <QtCore/QEvent>
#include <QtGui/QAction>
#include <QtGui/QFontMetrics>
#include <QtWidgets/QFrame>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

constexpr int kListedInConfirmation = 12; // keys named in the confirmation; the rest are counted

} // namespace

AsOfBar::AsOfBar(QWidget *parent)
    : QWidget(parent)
    , m_view(new AsOfView(this))
{
    setObjectName(u"asOfBar"_s);
    m_view->hide(); // the key panel shows it in place of the live list
    createWidgets();
    layoutWidgets();
    connect(m_view, &AsOfView::progress, this, &AsOfBar::onProgress);
    connect(m_view, &AsOfView::loaded, this, &AsOfBar::onLoaded);
    connect(m_view, &AsOfView::failed, this, &AsOfBar::onFailed);
}

AsOfBar::~AsOfBar() = default;

// In creation order, which is the order Tab goes: the point's controls, the banner, the busy row.
void AsOfBar::createWidgets()
{
    createControls();
    createBanner();
    createBusyRow();
    createActions();
}

// Where to go back to: the revision, time or duration, Show and Compare….
void AsOfBar::createControls()
{
    m_point = new QLineEdit(this);
    m_point->setObjectName(u"asOfPoint"_s);
    m_point->setAccessibleName(tr("As of revision or time"));
    m_point->setAccessibleDescription(tr("A revision number, a time (2026-11-30 10:42), or how long ago (1h); Enter "
                                         "shows the keys as they were then, Esc returns to live"));
    m_point->setToolTip(tr("A revision (1234), an RFC 3339 time (2026-11-30T10:42:00Z) or how long ago (1h, 90m)"));
    m_point->setPlaceholderText(tr("As of: revision, time or 1h ago"));
    m_point->setClearButtonEnabled(true);
    connect(m_point, &QLineEdit::returnPressed, this, &AsOfBar::showRequested);
    connect(m_point, &QLineEdit::textEdited, this, &AsOfBar::checkTyped);
    m_show = new QPushButton(tr("Show"), this);
    m_show->setObjectName(u"asOfShow"_s);
    m_show->setToolTip(tr("Show the keys as they were then, read-only"));
    connect(m_show, &QPushButton::clicked, this, &AsOfBar::showRequested);
    m_compare = new QPushButton(tr("Compare…"), this);
    m_compare->setObjectName(u"asOfCompare"_s);
    m_compare->setToolTip(tr("Keys added, removed and changed between two points, or a point and now"));
    connect(m_compare, &QPushButton::clicked, this, &AsOfBar::compare);
}

// Shown while the keys are "then": what they are, Restore Selected… and Back to Live.
void AsOfBar::createBanner()
{
    m_banner = new QFrame(this);
    m_banner->setObjectName(u"asOfBanner"_s);
    m_banner->setFrameShape(QFrame::StyledPanel);
    // Blue, apart from the conflict (yellow) and connection (orange) banners: a view, not a problem.
    Appearance::tintBackground(m_banner, QColor(0xdb, 0xea, 0xfe), QColor(0x1e, 0x3a, 0x5f));
    // One line, cut to fit with the whole in its tooltip: wrapped beside the buttons it was a column of a few
    // words, eight lines tall, and the key list under it was left two rows.
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setObjectName(u"asOfBannerText"_s);
    m_bannerText->setTextFormat(Qt::RichText);
    m_bannerText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_bannerText->installEventFilter(this);
    m_restore = new QPushButton(tr("Restore Selected…"), m_banner);
    m_restore->setObjectName(u"asOfRestore"_s);
    connect(m_restore, &QPushButton::clicked, this, &AsOfBar::restoreSelected);
    m_live = new QPushButton(tr("Back to Live"), m_banner);
    m_live->setObjectName(u"asOfLive"_s);
    m_live->setToolTip(tr("Esc"));
    connect(m_live, &QPushButton::clicked, this, &AsOfBar::goLive);
}

// While a point is read or a restore runs: what, how far, and Cancel; then any error.
void AsOfBar::createBusyRow()
{
    m_busyText = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"asOfProgress"_s);
    m_progress->setMaximumWidth(200);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(u"asOfCancel"_s);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_restoreJob)
            m_restoreJob->cancel();
        else
            m_view->cancel();
    });
    m_error = new ErrorLabel(this);
    m_error->setObjectName(u"asOfError"_s);
}

// For the window's menus: Back to Live Keys (Esc), Bucket As Of…, Differences in Time….
void AsOfBar::createActions()
{
    m_liveAction = new QAction(tr("Back to &Live Keys"), this);
    m_liveAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_liveAction->setShortcutContext(Qt::WindowShortcut); // from the value too: the whole window is "then"
    m_liveAction->setEnabled(false);
    connect(m_liveAction, &QAction::triggered, this, &AsOfBar::goLive);
    m_pointAction = new QAction(tr("Bucket &As Of…"), this);
    m_pointAction->setShortcut(QKeySequence(u"Ctrl+Shift+A"_s));
    m_pointAction->setToolTip(tr("Show the keys as they were at a revision or a time"));
    connect(m_pointAction, &QAction::triggered, this, [this] {
        m_point->setFocus();
        m_point->selectAll();
    });
    m_compareAction = new QAction(tr("Di&fferences in Time…"), this);
    m_compareAction->setShortcut(QKeySequence(u"Ctrl+Shift+D"_s));
    for (QAction *action : {m_pointAction, m_compareAction})
        action->setEnabled(false); // until a bucket is open
    connect(m_compareAction, &QAction::triggered, this, &AsOfBar::compare);
}

void AsOfBar::layoutWidgets()
{
    auto *control = new QHBoxLayout;
    control->addWidget(m_point, 1);
    control->addWidget(m_show);
    control->addWidget(m_compare);
    auto *banner = new QHBoxLayout(m_banner);
    banner->setContentsMargins(6, 3, 6, 3);
    banner->addWidget(m_bannerText, 1);
    banner->addWidget(m_restore);
    banner->addWidget(m_live);
    m_banner->hide();
    auto *busy = new QHBoxLayout;
    busy->addWidget(m_busyText, 1);
    busy->addWidget(m_progress);
    busy->addWidget(m_cancel);
    for (QWidget *widget :
         {static_cast<QWidget *>(m_busyText), static_cast<QWidget *>(m_progress), static_cast<QWidget *>(m_cancel)})
        widget->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(control);
    layout->addWidget(m_banner);
    layout->addLayout(busy);
    layout->addWidget(m_error);
}

void AsOfBar::setBucket(KvBucket *bucket)
{
    goLive();
    m_bucket = bucket;
    m_pointAction->setEnabled(bucket != nullptr);
    m_compareAction->setEnabled(bucket != nullptr);
    m_error->setMessage({});
}

void AsOfBar::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateBanner();
}

QString AsOfBar::readOnlyReason() const
{
    if (!m_active)
        return {};
    const QString point = m_view->read() ? m_view->pointText() : tr("as of a past point");
    return tr("Read-only: the bucket %1. Esc returns to live.").arg(point);
}

void AsOfBar::showRequested()
{
    KvAsOfPoint point;
    QString problem;
    if (m_point->text().trimmed().isEmpty()) {
        refusePoint(tr("Type a revision, a time (2026-11-30T10:42:00Z) or how long ago (1h)."));
        return;
    }
    if (!KvAsOfPoint::parse(m_point->text(), &point, &problem)) {
        refusePoint(problem);
        return;
    }
    showAsOf(point);
}

// As typed, as the Compare dialog's fields: a refusal seen only on Enter, or left from the point typed
// before, read as about the point typed now. An empty field is no mistake yet.
void AsOfBar::checkTyped()
{
    KvAsOfPoint point;
    QString problem;
    if (m_point->text().trimmed().isEmpty() || KvAsOfPoint::parse(m_point->text(), &point, &problem))
        m_error->setMessage({});
    else
        refusePoint(problem);
}

// Over the keys of the point shown before, the error alone read as about them: it says they stay.
void AsOfBar::refusePoint(const QString &problem)
{
    if (!m_active) {
        m_error->setMessage(problem); // the live keys, no banner: nothing to mistake
        return;
    }
    const QString sentence = HumanFormat::sentence(problem);
    m_error->setMessage(m_view->read() ? tr("%1 The list still shows the bucket %2.").arg(sentence, m_view->pointText())
                                       : tr("%1 The point before is still being read.").arg(sentence));
}

void AsOfBar::showAsOf(const KvAsOfPoint &point)
{
    if (!m_bucket) {
        m_error->setMessage(tr("Open a bucket first."));
        return;
    }
    if (!m_active && m_mayEnter && !m_mayEnter())
        return;
    m_error->setMessage({});
    m_view->setLiveKeys(m_liveKeys ? m_liveKeys() : QStringList());
    m_filter = m_keyFilter ? m_keyFilter() : QString();
    m_view->load(m_bucket, point, m_filter);
    setBusy(tr("Reading bucket \"%1\" as of %2…").arg(m_bucket->name(), point.describe()));
    const bool was = m_active;
    m_active = true;
    m_liveAction->setEnabled(true);
    updateBanner();
    if (!was)
        Q_EMIT activeChanged(true);
    Q_EMIT readOnlyReasonChanged(readOnlyReason());
}

void AsOfBar::goLive()
{
    // The point goes too: left in its field over the live list, it read as the point shown.
    m_point->clear();
    endAsOf();
}

void AsOfBar::endAsOf()
{
    m_view->clear();
    setBusy({});
    if (!m_active)
        return;
    m_active = false;
    m_liveAction->setEnabled(false);
    updateBanner();
    Q_EMIT activeChanged(false);
    Q_EMIT readOnlyReasonChanged({});
}

void AsOfBar::onLoaded()
{
    setBusy({});
    updateBanner();
    Q_EMIT readOnlyReasonChanged(readOnlyReason()); // now naming the point
}

void AsOfBar::onFailed(const QString &message)
{
    endAsOf(); // the point stays in its field, to be corrected
    // Said, as the field still holds the point: the list is live again, whatever point it showed before.
    m_error->setMessage(tr("The bucket as it was could not be read: %1 The list shows the live keys.")
                            .arg(message.endsWith(u'.') ? message : message + u'.'));
}

void AsOfBar::setBusy(const QString &what)
{
    m_busyText->setText(what);
    for (QWidget *widget :
         {static_cast<QWidget *>(m_busyText), static_cast<QWidget *>(m_progress), static_cast<QWidget *>(m_cancel)})
        widget->setVisible(!what.isEmpty());
    m_progress->setRange(0, 0); // busy until the first progress says how much
    m_show->setEnabled(what.isEmpty());
    m_restore->setEnabled(what.isEmpty() && !m_readOnly);
}

void AsOfBar::onProgress(qint64 done, qint64 total)
{
    if (total <= 0)
        return;
    m_progress->setRange(0, 1000);
    m_progress->setValue(int(1000 * std::min(done, total) / total));
}

void AsOfBar::updateBanner()
{
    m_banner->setVisible(m_active);
    m_restore->setEnabled(m_active && !m_view->isLoading() && !m_restoreJob && !m_readOnly);
    m_restore->setToolTip(m_readOnly ? tr("This connection is read-only.")
                                     : tr("Put the selected keys back to their values then, as new revisions"));
    Q_EMIT countChanged();
    const KvAsOfRead *read = m_view->read();
    if (!m_active || !read) {
        const QString loading = tr("The bucket as it was");
        setBannerText({{loading, tr(" — read-only, loading…")}}, tr("%1 — read-only, loading…").arg(loading));
        return;
    }
    const QStringList rows = rowCounts();
    QStringList counts = rows;
    if (!read->isComplete())
        counts.append(tr("keys removed since may be missing"));
    QString pointText = m_view->pointText();
    pointText[0] = pointText[0].toUpper();
    QString shortPoint = tr("As of rev %1").arg(HumanFormat::count(qint64(read->revision())));
    if (!m_filter.isEmpty()) {
        pointText = tr("%1, keys %2").arg(pointText, m_filter);
        shortPoint = tr("%1, keys %2").arg(shortPoint, m_filter);
    }
    // In full the reason follows, which ends in the same clause: said once (it was twice in a row).
    QStringList whole{tr("%1 — read-only. %2.").arg(pointText, rows.join(u" · "_s))};
    if (!read->isComplete())
        whole.append(HumanFormat::sentence(read->incompleteReason()));
    whole.append(tr("Select keys to restore them; Esc returns to live."));
    const QString readOnly = tr(" — read-only");
    setBannerText({{pointText, tr(" — read-only · %1").arg(counts.join(u" · "_s))},
                   {pointText, readOnly},
                   {pointText, {}},
                   {shortPoint, readOnly},
                   {shortPoint, {}}},
                  whole.join(u' '));
}

QStringList AsOfBar::rowCounts() const
{
    const KvAsOfRead *read = m_view->read();
    if (!read)
        return {};
    const qsizetype keys = read->entries().size();
    QStringList counts{keys == 1 ? tr("1 key then") : tr("%1 keys then").arg(HumanFormat::count(keys))};
    if (!read->unanswerableKeys().isEmpty())
        counts.append(tr("%1 cannot be answered").arg(HumanFormat::count(read->unanswerableKeys().size())));
    if (m_view->absentThenCount() > 0)
        counts.append(tr("%1 absent then").arg(HumanFormat::count(m_view->absentThenCount())));
    return counts;
}

// Every row counted by what it is: the live list's "n keys" counted keys that did not exist then as keys
// and left out the keys that cannot be answered.
QString AsOfBar::countText() const
{
    if (!m_active)
        return {};
    if (!m_view->read())
        return m_view->isLoading() ? tr("Reading the keys as they were…") : QString();
    return rowCounts().join(u", "_s);
}

void AsOfBar::setBannerText(const QList<QPair<QString, QString>> &texts, const QString &whole)
{
    m_bannerTexts = texts;
    m_bannerText->setToolTip(whole);
    m_bannerText->setAccessibleName(whole);
    elideBanner();
}

void AsOfBar::elideBanner()
{
    if (m_bannerTexts.isEmpty())
        return;
    QFont bold = m_bannerText->font();
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const int width = m_bannerText->width();
    QString point = m_bannerTexts.constLast().first;
    QString rest;
    for (const auto &[candidatePoint, candidateRest] : std::as_const(m_bannerTexts)) {
        const int needed = boldMetrics.horizontalAdvance(candidatePoint)
            + m_bannerText->fontMetrics().horizontalAdvance(candidateRest);
        if (needed <= width) {
            point = candidatePoint;
            rest = candidateRest;
            break;
        }
    }
    if (rest.isEmpty())
        point = boldMetrics.elidedText(point, Qt::ElideRight, width);
    m_bannerText->setText(u"<b>%1</b>%2"_s.arg(point.toHtmlEscaped(), rest.toHtmlEscaped()));
}

bool AsOfBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_bannerText && event->type() == QEvent::Resize)
        elideBanner();
    return QWidget::eventFilter(watched, event);
}

void AsOfBar::compare()
{
    if (!m_bucket) {
        m_error->setMessage(tr("Open a bucket first."));
        return;
    }
    const KvAsOfRead *read = m_view->read();
    const QString from = m_active && read ? QString::number(read->revision()) : m_point->text().trimmed();
    auto *dialog = new AsOfDiffDialog(m_bucket, from, m_filter, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void AsOfBar::restoreSelected()
{
    const KvAsOfRead *read = m_view->read();
    if (!m_active || !read || !m_bucket || m_restoreJob)
        return;
    if (m_readOnly) {
        m_error->setMessage(tr("This connection is read-only: nothing can be restored."));
        return;
    }
    const QStringList keys = m_view->selectedKeys();
    if (keys.isEmpty()) {
        m_error->setMessage(tr("Select the keys to put back as they were."));
        return;
    }
    if (!confirmRestore(keys))
        return;
    m_error->setMessage({});
    m_restorePoint = m_view->pointText(); // the list may go back to live before the restore ends
    m_restoreJob = new KvRestoreJob(m_bucket, KvRestoreJob::itemsFor(keys, read->entries(), read->unanswerableKeys()),
                                    read->latestRevision(), this);
    connect(m_restoreJob, &KvRestoreJob::progress, this, &AsOfBar::onProgress);
    connect(m_restoreJob, &KvRestoreJob::finished, this, &AsOfBar::onRestored);
    setBusy(keys.size() == 1 ? tr("Restoring 1 key…") : tr("Restoring %n keys…", nullptr, int(keys.size())));
}

bool AsOfBar::confirmRestore(const QStringList &keys)
{
    QStringList named = keys.mid(0, kListedInConfirmation);
    if (keys.size() > kListedInConfirmation)
        named.append(tr("and %n more", nullptr, int(keys.size() - kListedInConfirmation)));
    QMessageBox box(QMessageBox::Question, tr("Restore Keys"),
                    (keys.size() == 1 ? tr("Put 1 key back to its value %1?")
                                      : tr("Put %n keys back to their values %1?", nullptr, int(keys.size())))
                        .arg(m_view->pointText()),
                    QMessageBox::Cancel, this);
    box.setObjectName(u"asOfRestoreConfirm"_s);
    box.setInformativeText(
        tr("%1\n\nEach is written as a new revision, only if nobody changed it since this point was listed: a key "
           "changed since is reported, not overwritten. Keys absent then are deleted; keys that cannot be answered "
           "are left alone.")
            .arg(named.join(u", "_s)));
    QPushButton *restore = box.addButton(tr("Restore"), QMessageBox::AcceptRole);
    restore->setObjectName(u"asOfRestoreYes"_s);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == restore;
}

void AsOfBar::onRestored()
{
    KvRestoreJob *job = m_restoreJob;
    m_restoreJob = nullptr;
    job->deleteLater();
    setBusy({});
    updateBanner();
    QStringList lines;
    QStringList notDone;
    const QList<KvRestoreJob::Result> results = job->results();
    for (const KvRestoreJob::Result &result : results) {
        QString line = result.revision > 0 ? tr("%1: %2 (revision %3)")
                                                 .arg(result.key, KvRestoreJob::outcomeName(result.outcome),
                                                      HumanFormat::count(qint64(result.revision)))
                                           : tr("%1: %2").arg(result.key, KvRestoreJob::outcomeName(result.outcome));
        if (!result.detail.isEmpty())
            line += u" — "_s + result.detail;
        lines.append(line);
        if (result.outcome == KvRestoreJob::Outcome::ChangedSince || result.outcome == KvRestoreJob::Outcome::Failed)
            notDone.append(line);
    }
    QString summary = job->summary();
    if (job->error() != NatsError::NoError)
        summary = tr("%1 (%2)").arg(summary, job->errorString());
    m_lastReport = summary + u'\n' + lines.join(u'\n');
    Q_EMIT message(tr("Restore %1: %2").arg(m_restorePoint, summary));
    QMessageBox report(notDone.isEmpty() ? QMessageBox::Information : QMessageBox::Warning, tr("Restore Report"),
                       tr("Restore %1: %2.").arg(m_restorePoint, summary), QMessageBox::Ok, this);
    report.setObjectName(u"asOfRestoreReport"_s);
    report.setInformativeText(notDone.join(u'\n'));
    report.setDetailedText(lines.join(u'\n'));
    report.exec();
}
