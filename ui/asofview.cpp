#include "asofview.h"

#include "columnfit.h"
#include "humanformat.h"
#include "keylistmodel.h"
#include "kvasofread.h"
#include "kvnames.h"
#include "kvunits.h"

#include <QtCore/QSet>
#include <QtGui/QStandardItemModel>
#include <QtWidgets/QHeaderView>

using namespace Qt::StringLiterals;

namespace {

constexpr int kRevisionRole = KeyListModel::RevisionRole;
constexpr int kNoteRole = Qt::UserRole + 200;

QString utcMinute(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) + u" UTC"_s;
}

} // namespace

AsOfView::AsOfView(QWidget *parent)
    : QTreeView(parent)
    , m_model(new QStandardItemModel(0, ColumnCount, this))
{
    setObjectName(u"asOfView"_s);
    setAccessibleName(tr("Keys as they were"));
    setAccessibleDescription(tr("Read-only: the keys at the chosen revision or time; Esc returns to live"));
    m_model->setHorizontalHeaderLabels({tr("Key"), tr("Then"), tr("Revision"), tr("Updated"), tr("Size")});
    m_model->setSortRole(KeyListModel::RawValueRole); // numbers and times as such, not as text
    setModel(m_model);
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSortingEnabled(true);
    setEditTriggers(NoEditTriggers); // the past is read-only
    setSelectionMode(ExtendedSelection);
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(KeyColumn, QHeaderView::Interactive);
    header()->resizeSection(KeyColumn, 160);
    // Whole at any font (140 px cut a date at a large one).
    header()->resizeSection(RevisionColumn, ColumnFit::width(this, header(), RevisionColumn, {u"100000000"_s}));
    header()->resizeSection(UpdatedColumn, ColumnFit::width(this, header(), UpdatedColumn, {ColumnFit::sampleTime()}));
    header()->resizeSection(SizeColumn, 56);
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, &AsOfView::onCurrentChanged);
}

AsOfView::~AsOfView() = default;

void AsOfView::load(KvBucket *bucket, const KvAsOfPoint &point, const QString &keyFilter)
{
    clear();
    m_filter = keyFilter;
    m_read = new KvAsOfRead(bucket, point, keyFilter, KvAsOfRead::Path::Auto, this);
    connect(m_read, &KvAsOfRead::progress, this, &AsOfView::progress);
    connect(m_read, &KvAsOfRead::finished, this, &AsOfView::onFinished);
}

void AsOfView::cancel()
{
    if (m_read && !m_read->isFinished())
        m_read->cancel();
}

void AsOfView::clear()
{
    if (m_read) {
        m_read->disconnect(this);
        m_read->cancel();
        m_read->deleteLater();
    }
    m_read = nullptr;
    m_pointTime = {};
    m_absentThen = 0;
    m_model->removeRows(0, m_model->rowCount());
}

bool AsOfView::isLoading() const
{
    return m_read && !m_read->isFinished();
}

const KvAsOfRead *AsOfView::read() const
{
    return m_read && m_read->isFinished() && m_read->error() == NatsError::NoError ? m_read.data() : nullptr;
}

void AsOfView::onFinished()
{
    if (m_read->error() != NatsError::NoError) {
        Q_EMIT failed(m_read->errorString());
        return;
    }
    setSortingEnabled(false); // rows go in in key order; one sort at the end
    QSet<QString> then;
    const QList<KvEntry> entries = m_read->entries();
    for (const KvEntry &entry : entries) {
        addRow(entry.key, entry.revision, entry.created, entry.size(), {}, {});
        then.insert(entry.key);
        if (entry.revision == m_read->revision())
            m_pointTime = entry.created; // the message at the point is this key's
    }
    if (m_read->point().kind == KvAsOfPoint::Kind::Time)
        m_pointTime = m_read->point().time;
    const QString unknown = tr("cannot be answered");
    const QString why = tr("The bucket no longer holds this key's value then (history limit, TTL or purge): no value "
                           "is shown rather than a wrong one");
    const QStringList unanswerable = m_read->unanswerableKeys();
    for (const QString &key : unanswerable) {
        addRow(key, 0, {}, -1, unknown, why);
        then.insert(key);
    }
    for (const QString &key : std::as_const(m_liveKeys)) {
        // Only those the read covered: a folder's, or the filter's (the live list may hold more).
        if (!then.contains(key) && (m_filter.isEmpty() || KvNames::filterMatches(m_filter, key))) {
            addRow(key, 0, {}, -1, tr("absent then"), tr("Written after this point: a restore deletes it"));
            ++m_absentThen;
        }
    }
    // The state column only when some key has one: every key had its value then, nothing to say.
    setColumnHidden(StateColumn, unanswerable.isEmpty() && m_absentThen == 0);
    if (!isColumnHidden(StateColumn))
        resizeColumnToContents(StateColumn);
    setSortingEnabled(true);
    sortByColumn(KeyColumn, Qt::AscendingOrder);
    Q_EMIT loaded();
}

void AsOfView::addRow(const QString &key, quint64 revision, const QDateTime &created, qint64 size, const QString &state,
                      const QString &why)
{
    QList<QStandardItem *> row(ColumnCount);
    row[KeyColumn] = new QStandardItem(key);
    row[StateColumn] = new QStandardItem(state);
    row[RevisionColumn] = new QStandardItem(revision ? HumanFormat::count(qint64(revision)) : QString());
    row[UpdatedColumn] = new QStandardItem(created.isValid() ? HumanFormat::localTime(created) : QString());
    row[SizeColumn] = new QStandardItem(size >= 0 ? KvUnits::iBytes(size) : QString());
    for (QStandardItem *item : std::as_const(row)) {
        item->setData(key, KeyListModel::KeyRole);
        item->setData(revision, kRevisionRole);
        item->setData(why.isEmpty() ? state : tr("%1: %2").arg(state, why), kNoteRole);
        item->setToolTip(state.isEmpty() ? HumanFormat::utcTime(created) : why);
        if (!state.isEmpty()) {
            QFont font = item->font();
            font.setItalic(true);
            item->setFont(font);
            item->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
        }
    }
    row[KeyColumn]->setData(key, KeyListModel::RawValueRole);
    row[RevisionColumn]->setData(revision, KeyListModel::RawValueRole);
    row[UpdatedColumn]->setData(created, KeyListModel::RawValueRole);
    row[SizeColumn]->setData(size, KeyListModel::RawValueRole);
    row[StateColumn]->setData(state, KeyListModel::RawValueRole);
    m_model->appendRow(row);
}

QStringList AsOfView::selectedKeys() const
{
    QStringList keys;
    const QModelIndexList rows = selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        keys.append(index.data(KeyListModel::KeyRole).toString());
    keys.sort();
    return keys;
}

QString AsOfView::pointText() const
{
    if (!m_read)
        return {};
    const QString revision = HumanFormat::count(qint64(m_read->revision()));
    return m_pointTime.isValid() ? tr("as of rev %1 (%2)").arg(revision, utcMinute(m_pointTime))
                                 : tr("as of rev %1").arg(revision);
}

void AsOfView::onCurrentChanged(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    Q_EMIT entrySelected(index.data(KeyListModel::KeyRole).toString(), index.data(kRevisionRole).toULongLong(),
                         index.data(kNoteRole).toString());
}
