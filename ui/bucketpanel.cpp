#include "bucketpanel.h"

#include "bucketdialog.h"
#include "bucketlistmodel.h"
#include "emptystate.h"
#include "errorlabel.h"
#include "headercolumnsmenu.h"
#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvbucketevents.h"
#include "kvcontext.h"
#include "natsconnection.h"
#include "session.h"
#include "usagebardelegate.h"

#include <QtCore/QPointer>
#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStyledItemDelegate>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
// Columns of dates and figures, always as wide as what they show.
constexpr int kFigureColumns[] = {BucketListModel::CreatedColumn, BucketListModel::SizeColumn,
                                  BucketListModel::ValuesColumn, BucketListModel::LastUpdateColumn};
constexpr int kSizeRefreshMs = 10000;
// After a change: short enough to feel immediate, long enough to take a burst of writes in one listing.
constexpr int kChangeRefreshMs = 300;

// A description cut short keeps its beginning ("settings of…"), where the names keep both ends.
class ElideRightDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideRight;
    }
};
} // namespace

BucketPanel::BucketPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new BucketListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTreeView(this))
    , m_error(new ErrorLabel(this))
    , m_refreshTimer(new QTimer(this))
    , m_soonTimer(new QTimer(this))
{
    setObjectName(u"bucketPanel"_s);
    m_error->setObjectName(u"bucketError"_s);
    createView();
    createActions();
    // A listing that failed (the user may not list, say) is no empty server: no "Create a Bucket…" then.
    const auto noneListed = [this] { return m_session && m_session->isConnected() && m_model->rowCount() == 0; };
    m_empty = new EmptyState(m_view, tr("No buckets on this server yet."), m_newAction, tr("Create a Bucket…"),
                             [this, noneListed] { return noneListed() && !m_listingFailed; });
    m_empty->button()->setObjectName(u"createBucketButton"_s);
    m_unlisted = new EmptyState(m_view, tr("The buckets could not be listed."), nullptr, {},
                                [this, noneListed] { return noneListed() && m_listingFailed; });
    m_unlisted->label()->setObjectName(u"bucketsNotListedText"_s);

    auto *toolbar = new QToolBar(this);
    toolbar->addAction(m_newAction);
    toolbar->addAction(m_refreshAction);
    auto *title = new QLabel(tr("<b>Buckets</b>"), this);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_error);
    layout->addWidget(toolbar);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        if (m_merging)
            return; // a row moved or went: mergeStatuses() decides
        updateActions();
        Q_EMIT bucketSelected(currentBucket());
    });
    m_soonTimer->setSingleShot(true);
    m_soonTimer->setInterval(kChangeRefreshMs);
    connect(m_soonTimer, &QTimer::timeout, this, &BucketPanel::refresh);
    m_refreshTimer->setInterval(kSizeRefreshMs);
    connect(m_refreshTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    updateActions();
}

void BucketPanel::createView()
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(BucketListModel::RawValueRole);
    m_view->setObjectName(u"bucketView"_s);
    m_view->setAccessibleName(tr("Buckets"));
    m_view->setAccessibleDescription(tr("The buckets on the server; selecting one lists its keys"));
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(BucketListModel::BucketColumn, Qt::AscendingOrder);
    m_view->setAlternatingRowColors(true);
    m_view->setItemDelegateForColumn(BucketListModel::SizeColumn, new UsageBarDelegate(m_view));
    m_view->setItemDelegateForColumn(BucketListModel::DescriptionColumn, new ElideRightDelegate(m_view));
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->header()->setStretchLastSection(false);
    // Names as wide as they are (a fixed or stretched column cut "shipping_orders" to "sh…"); narrowed
    // by hand, they lose their middle, not their end, and the tooltip has the whole name.
    m_view->setTextElideMode(Qt::ElideMiddle);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &BucketPanel::fitColumns);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &BucketPanel::fitColumns);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &BucketPanel::fitColumns);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &BucketPanel::growFigureColumns);
    // natscli's columns (`nats kv ls`: Bucket, Description, Created, Size, Values, Last Update) at first
    // start; the header's menu shows the rest.
    HeaderColumnsMenu::install(m_view->header(), u"columns/buckets"_s,
                               {BucketListModel::HistoryColumn, BucketListModel::TtlColumn,
                                BucketListModel::StorageColumn, BucketListModel::ReplicasColumn,
                                BucketListModel::MarkerTtlColumn});
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
}

void BucketPanel::fitColumns()
{
    // Dates, size and count as wide as they are, a description up to a few words; then the names, as
    // wide as the longest or as the room the other columns leave.
    const QAbstractItemView *items = m_view; // where sizeHintForColumn() is public
    for (const int column : kFigureColumns)
        m_view->resizeColumnToContents(column);
    QHeaderView *header = m_view->header();
    const int title = header->sectionSizeHint(BucketListModel::DescriptionColumn);
    const int description = std::max(title,
                                     std::min(items->sizeHintForColumn(BucketListModel::DescriptionColumn),
                                              m_view->fontMetrics().averageCharWidth() * 24));
    header->resizeSection(BucketListModel::DescriptionColumn, description);
    m_view->resizeColumnToContents(BucketListModel::BucketColumn);
    const int names = header->sectionSize(BucketListModel::BucketColumn);
    const int others = header->length() - names;
    // Short of room, the description (elided, whole in its tooltip) gives it up first, down to a few
    // letters of its title: the names, figures and dates stay whole.
    const int overflow = header->length() - m_view->viewport()->width();
    if (overflow > 0)
        header->resizeSection(BucketListModel::DescriptionColumn,
                              std::max(m_view->fontMetrics().averageCharWidth() * 6, description - overflow));
    header->resizeSection(BucketListModel::BucketColumn,
                          std::max(names, m_view->viewport()->width() - (header->length() - names)));
    const int whole = names + others + width() - m_view->viewport()->width();
    if (whole != m_wholeColumnsWidth) {
        m_wholeColumnsWidth = whole;
        Q_EMIT wholeColumnsWidthChanged(whole);
    }
}

void BucketPanel::growFigureColumns()
{
    // A size or a count that grew gets room; a width set by hand is otherwise left alone.
    const QAbstractItemView *items = m_view;
    for (const int column : kFigureColumns) {
        if (m_view->header()->sectionSize(column) < items->sizeHintForColumn(column))
            m_view->resizeColumnToContents(column);
    }
}

void BucketPanel::createActions()
{
    m_newAction = new QAction(tr("&New Bucket…"), this);
    m_newAction->setShortcut(QKeySequence(u"Ctrl+Shift+N"_s));
    m_editAction = new QAction(tr("&Edit Bucket…"), this);
    m_deleteAction = new QAction(tr("&Delete Bucket…"), this);
    m_compactAction = new QAction(tr("&Compact (purge old delete markers)"), this);
    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    connect(m_newAction, &QAction::triggered, this, &BucketPanel::createBucket);
    connect(m_editAction, &QAction::triggered, this, &BucketPanel::editBucket);
    connect(m_deleteAction, &QAction::triggered, this, &BucketPanel::deleteBucket);
    connect(m_compactAction, &QAction::triggered, this, &BucketPanel::compactBucket);
    connect(m_refreshAction, &QAction::triggered, this, &BucketPanel::refresh);
    m_view->addActions({m_newAction, m_editAction, m_deleteAction, m_compactAction, m_refreshAction});
}

void BucketPanel::setSession(Session *session)
{
    m_session = session;
    m_model->clear();
    m_error->setMessage({});
    setListingFailed(false);
    if (m_bucketEvents)
        m_bucketEvents->deleteLater();
    m_bucketEvents = nullptr;
    m_refreshing = false; // a listing owed by the previous session is not this one's
    m_refreshAgain = false;
    m_refreshTimer->stop();
    updateActions();
    if (!session)
        return;
    auto start = [this] {
        if (!m_session)
            return;
        watchBucketChanges();
        m_refreshTimer->start();
        if (!m_refreshing)
            refresh(); // unless the listing asked with the handshake is on its way
    };
    // The first listing is asked while the connection handles the server's INFO: it goes in the CONNECT's
    // write, after the subscription to bucket changes, and is answered with the handshake, a round trip
    // sooner (NatsConnection::requestWithHandshake()).
    connect(session->connection(), &NatsConnection::serverInfoChanged, this, [this] {
        if (m_session && m_session->connection()->state() == NatsConnection::State::Connecting && !m_refreshing) {
            watchBucketChanges();
            list(Listing::WithHandshake);
        }
    });
    connect(session, &Session::opened, this, start);
    connect(session, &Session::statusChanged, this, &BucketPanel::updateActions);
    connect(session, &Session::reconnected, this, &BucketPanel::refresh);
    if (session->isConnected())
        start();
}

QString BucketPanel::currentBucket() const
{
    return m_view->currentIndex().data(BucketListModel::BucketNameRole).toString();
}

void BucketPanel::selectBucket(const QString &bucket)
{
    const int row = m_model->rowOf(bucket);
    if (row < 0) {
        m_pendingSelection = bucket; // after the next refresh
        return;
    }
    m_pendingSelection.clear();
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

void BucketPanel::clearSelection()
{
    m_pendingSelection.clear();
    m_view->selectionModel()->clear();
}

void BucketPanel::showError(const QString &text)
{
    m_error->setMessage(text);
    Q_EMIT message(text);
}

// Buckets created, updated or deleted by anyone in the account.
void BucketPanel::watchBucketChanges()
{
    if (m_bucketEvents)
        return;
    m_bucketEvents = m_session->kv()->watchBuckets(this);
    connect(m_bucketEvents, &KvBucketEvents::bucketChanged, this, &BucketPanel::refresh);
}

void BucketPanel::refresh()
{
    if (!m_session || !m_session->isConnected())
        return;
    if (m_refreshing) {
        m_refreshAgain = true; // a change while the list is on its way: that answer may predate it
        return;
    }
    list(Listing::Ordinary);
}

void BucketPanel::list(Listing listing)
{
    m_refreshing = true;
    m_refreshAgain = false;
    KvReply *reply = m_session->kv()->bucketStatuses();
    connect(reply, &NatsReply::finished, this, [this, reply, listing, session = m_session.data()] {
        reply->deleteLater();
        if (m_session && session != m_session)
            return; // the listing of a session replaced since: setSession() started afresh
        m_refreshing = false;
        if (m_refreshAgain)
            QTimer::singleShot(0, this, &BucketPanel::refresh);
        if (reply->error() != NatsError::NoError) {
            // A connection that did not come about says why in the status bar; once connected, the list
            // is asked again.
            if (listing == Listing::Ordinary || (m_session && m_session->isConnected())) {
                showError(tr("Could not list buckets: %1").arg(reply->errorString()));
                setListingFailed(true);
                if (m_model->rowCount() == 0)
                    fitColumns(); // as for an empty list, below
                if (!m_pendingSelection.isEmpty())
                    openUnlisted(m_pendingSelection);
            }
            return;
        }
        m_error->setMessage({});
        setListingFailed(false);
        mergeStatuses(reply->statuses());
        // No rows came (a server with no buckets yet): the columns are fitted all the same, to their
        // titles, and the panel gets the room for them (no row inserted, no reset asked for it).
        if (m_model->rowCount() == 0)
            fitColumns();
        if (!m_pendingSelection.isEmpty()) {
            selectBucket(m_pendingSelection);
            // Not listed (--bucket with a name the server does not have): said, and still waited for.
            if (!m_pendingSelection.isEmpty())
                showError(tr("Bucket \"%1\" was not found on this server; it opens when it is created.")
                              .arg(m_pendingSelection));
        }
        updateActions();
    });
}

void BucketPanel::setListingFailed(bool failed)
{
    m_listingFailed = failed;
    m_empty->refresh();
    m_unlisted->refresh();
}

// A bucket asked for by name (--bucket) while the buckets cannot be listed: a user may be allowed to read
// a bucket and not to list them all (as the CLI, which opens it by name). Its own status puts it in the
// list, alone, and selects it; refused too, the listing's error stays, and the name waits for a listing.
void BucketPanel::openUnlisted(const QString &bucket)
{
    KvReply *reply = m_session->kv()->bucketStatus(bucket);
    connect(reply, &NatsReply::finished, this, [this, reply, bucket, session = m_session.data()] {
        reply->deleteLater();
        if (session != m_session || reply->error() != NatsError::NoError || m_pendingSelection != bucket
            || m_model->rowOf(bucket) >= 0)
            return;
        QList<KvBucketStatus> statuses;
        for (int row = 0; row < m_model->rowCount(); ++row)
            statuses.append(m_model->statusAt(row));
        statuses.append(reply->status());
        mergeStatuses(statuses);
        selectBucket(bucket);
        updateActions();
    });
}

void BucketPanel::mergeStatuses(const QList<KvBucketStatus> &statuses)
{
    // When the open bucket goes, the view would make a neighbour current and the window would open it
    // without a word: nothing is selected instead, and the window says what happened.
    const QString before = currentBucket();
    m_merging = true;
    m_model->setStatuses(statuses);
    if (before.isEmpty() || m_model->rowOf(before) >= 0) {
        m_merging = false;
        return;
    }
    const bool here = std::exchange(m_deletedHere, {}) == before;
    m_view->selectionModel()->clear(); // its currentRowChanged() said "none" before "gone": one word, below
    m_merging = false;
    updateActions();
    // Gone first: the window then knows that no bucket selected is not the user's doing.
    Q_EMIT currentBucketGone(before, here);
    Q_EMIT bucketSelected({});
}

QHeaderView *BucketPanel::header() const
{
    return m_view->header();
}

void BucketPanel::refreshSoon()
{
    if (!m_soonTimer->isActive()) // not restarted: a steady stream of writes still refreshes
        m_soonTimer->start();
}

void BucketPanel::updateActions()
{
    const bool connected = m_session && m_session->isConnected();
    const bool writable = connected && !m_session->isReadOnly();
    const bool selected = !currentBucket().isEmpty();
    const QString readOnlyNote = tr("This connection is read-only.");
    for (QAction *action : {m_newAction, m_editAction, m_deleteAction, m_compactAction})
        action->setToolTip(m_session && m_session->isReadOnly() ? readOnlyNote : QString());
    m_newAction->setEnabled(writable);
    m_editAction->setEnabled(writable && selected);
    m_deleteAction->setEnabled(writable && selected);
    m_compactAction->setEnabled(writable && selected);
    m_refreshAction->setEnabled(connected);
    m_empty->refresh();
}

void BucketPanel::createBucket()
{
    if (!m_session || m_session->isReadOnly())
        return;
    BucketDialog dialog(BucketDialog::Mode::Create, this);
    dialog.setServer(m_session->jetStream()->capabilities());
    execUntilTaken(
        &dialog, [this](const KvBucketConfig &config) { return m_session->kv()->createBucket(config); },
        [this](const KvBucketConfig &config, const KvReply *reply) {
            if (reply->error() != NatsError::NoError)
                return tr("Could not create bucket \"%1\": %2").arg(config.bucket, reply->errorString());
            Q_EMIT message(tr("Bucket \"%1\" created").arg(config.bucket));
            showWarnings(tr("Bucket \"%1\" created, with a warning").arg(config.bucket), reply->warnings());
            m_pendingSelection = config.bucket;
            refresh();
            return QString();
        });
}

void BucketPanel::editBucket()
{
    const QString bucket = currentBucket();
    if (!m_session || m_session->isReadOnly() || bucket.isEmpty())
        return;
    BucketDialog dialog(BucketDialog::Mode::Edit, this);
    dialog.setServer(m_session->jetStream()->capabilities());
    const KvBucketStatus status = m_model->statusAt(m_model->rowOf(bucket));
    dialog.setConfig(status.config, status.serverMetadata);
    execUntilTaken(
        &dialog, [this](const KvBucketConfig &config) { return m_session->kv()->updateBucket(config); },
        [this, bucket](const KvBucketConfig &, const KvReply *reply) {
            refresh();
            if (reply->error() != NatsError::NoError)
                return tr("Could not change bucket \"%1\": %2").arg(bucket, reply->errorString());
            Q_EMIT message(tr("Bucket \"%1\" changed").arg(bucket));
            showWarnings(tr("Bucket \"%1\" changed, with a warning").arg(bucket), reply->warnings());
            return QString();
        });
}

// Done as asked, but something will not be as the user expects (sources the server will not copy): said
// where it stays until read, not in the status bar's passing message.
void BucketPanel::showWarnings(const QString &title, const QStringList &warnings)
{
    if (warnings.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Bucket"), title, QMessageBox::Ok, window());
    box->setObjectName(u"bucketWarnings"_s);
    box->setInformativeText(warnings.join(u"\n\n"_s));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

// Runs the dialog until the server took what it submits (send), or it is cancelled: a refusal is shown
// in the dialog, nothing typed lost (in the panel if the dialog was closed meanwhile). answered() does
// what follows the server's answer and says the refusal in words (empty: taken).
void BucketPanel::execUntilTaken(BucketDialog *dialog, const std::function<KvReply *(const KvBucketConfig &)> &send,
                                 const std::function<QString(const KvBucketConfig &, const KvReply *)> &answered)
{
    const QPointer<BucketDialog> open(dialog);
    connect(dialog, &BucketDialog::submitted, this, [this, open, send, answered](const KvBucketConfig &config) {
        if (!m_session) {
            open->serverAnswered(tr("Not connected"));
            return;
        }
        KvReply *reply = send(config);
        connect(reply, &NatsReply::finished, this, [this, reply, config, open, answered] {
            reply->deleteLater();
            const QString refusal = answered(config, reply);
            if (open)
                open->serverAnswered(refusal);
            else if (!refusal.isEmpty())
                showError(refusal);
        });
    });
    dialog->exec();
}

void BucketPanel::deleteBucket()
{
    const QString bucket = currentBucket();
    if (!m_session || m_session->isReadOnly() || bucket.isEmpty())
        return;
    const KvBucketStatus status = m_model->statusAt(m_model->rowOf(bucket));
    QInputDialog dialog(this);
    dialog.setObjectName(u"deleteBucketDialog"_s);
    dialog.setWindowTitle(tr("Delete Bucket"));
    dialog.setLabelText(
        (status.values > 0 ? tr("This deletes bucket \"%1\" with all %2 values and their history. It cannot be undone.")
                                 .arg(bucket)
                                 .arg(status.values)
                           : tr("This deletes bucket \"%1\" and its history. It cannot be undone.").arg(bucket))
        + u"\n\n"_s + tr("Type the bucket name to confirm:"));
    dialog.setOkButtonText(tr("&Delete Bucket")); // also makes the dialog's buttons
    // The button waits for the name as it is (bucket names are case-sensitive): a name that does not match
    // keeps the dialog, instead of closing it on an error.
    if (auto *buttons = dialog.findChild<QDialogButtonBox *>()) {
        QPushButton *confirm = buttons->button(QDialogButtonBox::Ok);
        confirm->setEnabled(false);
        connect(&dialog, &QInputDialog::textValueChanged, confirm,
                [confirm, bucket](const QString &text) { confirm->setEnabled(text == bucket); });
    }
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString typed = dialog.textValue();
    if (typed != bucket) {
        showError(tr("Bucket not deleted: the name typed does not match \"%1\".").arg(bucket));
        return;
    }
    m_deletedHere = bucket;
    KvReply *reply = m_session->kv()->deleteBucket(bucket);
    connect(reply, &NatsReply::finished, this, [this, reply, bucket] {
        reply->deleteLater();
        if (reply->error() != NatsError::NoError) {
            showError(tr("Could not delete bucket \"%1\": %2").arg(bucket, reply->errorString()));
            return;
        }
        Q_EMIT message(tr("Bucket \"%1\" deleted").arg(bucket));
        Q_EMIT bucketDeleted(bucket);
        refresh();
    });
}

void BucketPanel::compactBucket()
{
    const QString bucket = currentBucket();
    if (!m_session || m_session->isReadOnly() || bucket.isEmpty())
        return;
    const auto answer = QMessageBox::question(
        this, tr("Compact Bucket"),
        tr("Remove the delete and purge markers older than 30 minutes from bucket \"%1\", with the history "
           "behind them?")
            .arg(bucket),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes)
        return;
    KvBucket *handle = m_session->kv()->bucket(bucket);
    KvReply *reply = handle->purgeDeletes();
    connect(reply, &NatsReply::finished, this, [this, reply, handle, bucket] {
        handle->deleteLater();
        if (reply->error() != NatsError::NoError)
            showError(tr("Could not compact bucket \"%1\": %2").arg(bucket, reply->errorString()));
        else
            Q_EMIT message(tr("Bucket \"%1\" compacted: %2 deleted keys removed").arg(bucket).arg(reply->revision()));
        refresh();
    });
}
