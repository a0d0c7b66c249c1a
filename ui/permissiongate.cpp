#include "permissiongate.h"

#include "asofbar.h"
#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "historypanel.h"
#include "kvcontext.h"
#include "kvuserpermissions.h"
#include "permissiongatedelegate.h"
#include "valuepanel.h"
#include "watchpanel.h"

#include <QtCore/QEvent>
#include <QtGui/QActionGroup>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

PermissionGate::PermissionGate(QObject *parent)
    : QObject(parent)
{
}

PermissionGate::~PermissionGate() = default;

PermissionGate::Check PermissionGate::writeRule()
{
    return [](const KvPermissions &p, const QString &bucket, const QString &) { return p.writeRefusal(bucket); };
}

PermissionGate::Check PermissionGate::readRule()
{
    return [](const KvPermissions &p, const QString &bucket, const QString &) { return p.readRefusal(bucket); };
}

PermissionGate::Check PermissionGate::getRule()
{
    return [](const KvPermissions &p, const QString &bucket, const QString &) { return p.getRefusal(bucket); };
}

PermissionGate::Check PermissionGate::watchRule()
{
    return [](const KvPermissions &p, const QString &bucket, const QString &) { return p.watchRefusal(bucket); };
}

void PermissionGate::guardPanels(BucketPanel *buckets, ValuePanel *value, HistoryPanel *history)
{
    using P = const KvPermissions &;
    using S = const QString &;
    guard(buckets->newAction(), [](P p, S, S) { return p.createBucketRefusal(); });
    guard(buckets->editAction(), [](P p, S bucket, S) { return p.editBucketRefusal(bucket); });
    guard(buckets->deleteAction(), [](P p, S bucket, S) { return p.deleteBucketRefusal(bucket); });
    guard(buckets->compactAction(), [](P p, S bucket, S) { return p.compactRefusal(bucket); });
    guard(value->newKeyAction(), writeRule());
    const Check writeKey = [](P p, S bucket, S key) { return p.writeRefusal(bucket, key); };
    for (QAction *action : {value->saveAction(), value->deleteAction(), value->purgeAction()})
        guard(action, writeKey);
    guard(history->revertAction(), [](P p, S bucket, S key) { return p.revertRefusal(bucket, key); });
    if (auto *save = value->findChild<QAbstractButton *>(u"saveButton"_s))
        guardFollower(save, value->saveAction());
    if (auto *revert = history->findChild<QAbstractButton *>(u"historyRevert"_s))
        guardFollower(revert, history->revertAction());

    connect(buckets, &BucketPanel::bucketSelected, this, &PermissionGate::setBucket);
    m_buckets = buckets->model();
    const auto relearn = [this] {
        learnReadPaths();
        applyAll();
    };
    connect(m_buckets, &QAbstractItemModel::rowsInserted, this, relearn);
    connect(m_buckets, &QAbstractItemModel::dataChanged, this, relearn);
    connect(m_buckets, &QAbstractItemModel::modelReset, this, relearn);
    connect(value, &ValuePanel::entryLoaded, this, [this, value] { setKey(value->key()); });
    connect(value, &ValuePanel::keyCreated, this, &PermissionGate::setKey);
    if (auto *view = buckets->findChild<QTreeView *>(u"bucketView"_s)) {
        auto *delegate = new PermissionGateDelegate(this, view);
        view->setItemDelegateForColumn(BucketListModel::BucketColumn, delegate);
        connect(this, &PermissionGate::changed, view->viewport(), qOverload<>(&QWidget::update));
    }
}

void PermissionGate::guardWatching(WatchPanel *watches, AsOfBar *asOf)
{
    guard(watches->newWatchAction(),
          [](const KvPermissions &p, const QString &, const QString &) { return p.watchSomeRefusal(); });
    if (auto *start = watches->findChild<QAbstractButton *>(u"watchStart"_s))
        guardFollower(start, watches->newWatchAction());
    for (QAction *action : {asOf->pointAction(), asOf->compareAction()})
        guard(action, watchRule());
}

void PermissionGate::guard(QAction *action, const Check &check)
{
    // A group of its own: while it is disabled the action is, whatever the panel sets, and the panel's
    // last setEnabled() holds again once the group is enabled (QAction's explicit enabled state).
    Q_ASSERT(!action->actionGroup());
    auto *group = new QActionGroup(this);
    group->setExclusionPolicy(QActionGroup::ExclusionPolicy::None);
    group->addAction(action);
    m_guarded.append({action, nullptr, nullptr, check, {}, action->toolTip()});
    connect(action, &QAction::changed, this, [this, action] { onActionChanged(action); });
    apply(m_guarded.last());
}

void PermissionGate::guardFollower(QAbstractButton *button, QAction *leader)
{
    m_guarded.append({nullptr, button, leader, {}, {}, button->toolTip()});
    button->installEventFilter(this);
    apply(m_guarded.last());
}

void PermissionGate::setJetStream(JetStreamContext *context, KvContext *kv)
{
    delete m_source;
    m_kv = kv;
    setPermissions({});
    if (!context)
        return;
    m_source = new KvUserPermissions(context, this);
    connect(m_source, &KvUserPermissions::changed, this,
            [this, source = m_source.data()] { setPermissions(source->permissions()); });
}

void PermissionGate::setPermissions(const KvPermissions &permissions)
{
    m_permissions = permissions;
    if (m_kv)
        m_kv->setPermissions(permissions);
    learnReadPaths();
    applyAll();
}

void PermissionGate::learnReadPaths()
{
    if (!m_buckets || !m_permissions.isKnown())
        return;
    for (int row = 0; row < m_buckets->rowCount(); ++row) {
        const KvBucketStatus status = m_buckets->statusAt(row);
        m_permissions.setStreamConfig(status.bucket, status.streamInfo.config);
    }
}

void PermissionGate::setBucket(const QString &bucket)
{
    if (bucket == m_bucket)
        return;
    m_bucket = bucket;
    m_key.clear();
    applyAll();
}

void PermissionGate::setKey(const QString &key)
{
    if (key == m_key)
        return;
    m_key = key;
    applyAll();
}

QString PermissionGate::bucketRefusal(const QString &bucket) const
{
    // Locked only when its values cannot be read: a user who may not create consumers still reads and
    // writes keys they name (bucketLimit() says what they miss).
    return m_permissions.getRefusal(bucket);
}

QString PermissionGate::bucketLimit(const QString &bucket) const
{
    return bucketRefusal(bucket).isEmpty() ? m_permissions.watchRefusal(bucket) : QString();
}

QString PermissionGate::refusal(const QObject *target) const
{
    const Guarded *guarded = find(target);
    return guarded ? guarded->refusal : QString();
}

void PermissionGate::applyAll()
{
    for (Guarded &guarded : m_guarded) {
        if (guarded.action)
            apply(guarded);
    }
    // Followers after their leaders.
    for (Guarded &guarded : m_guarded) {
        if (guarded.button)
            apply(guarded);
    }
    Q_EMIT changed();
}

void PermissionGate::apply(Guarded &guarded)
{
    if (m_applying)
        return;
    m_applying = true;
    if (guarded.action) {
        applyToAction(guarded, guarded.check(m_permissions, m_bucket, m_key));
    } else if (guarded.button && guarded.leader) {
        const Guarded *leader = find(guarded.leader);
        applyToButton(guarded, leader ? leader->refusal : QString());
    }
    m_applying = false;
}

void PermissionGate::applyToAction(Guarded &guarded, const QString &refusal)
{
    QAction *action = guarded.action;
    if (refusal.isEmpty() && !guarded.refusal.isEmpty())
        action->setToolTip(guarded.ownToolTip);
    guarded.refusal = refusal;
    action->actionGroup()->setEnabled(refusal.isEmpty());
    if (!refusal.isEmpty())
        action->setToolTip(refusal);
}

void PermissionGate::applyToButton(Guarded &guarded, const QString &refusal)
{
    QAbstractButton *button = guarded.button;
    if (refusal.isEmpty() && !guarded.refusal.isEmpty()) {
        button->setToolTip(guarded.ownToolTip);
        button->setEnabled(guarded.leader->isEnabled());
    }
    guarded.refusal = refusal;
    if (!refusal.isEmpty()) {
        button->setEnabled(false);
        button->setToolTip(refusal);
    }
}

void PermissionGate::onActionChanged(QAction *action)
{
    Guarded *guarded = find(action);
    if (m_applying || !guarded || guarded->refusal.isEmpty()) {
        if (!m_applying && guarded)
            guarded->ownToolTip = action->toolTip();
        return;
    }
    // The panel set its own tooltip over the refusal: keep it for later, show the refusal.
    if (action->toolTip() != guarded->refusal) {
        guarded->ownToolTip = action->toolTip();
        m_applying = true;
        action->setToolTip(guarded->refusal);
        m_applying = false;
    }
}

bool PermissionGate::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type type = event->type();
    if (m_applying || (type != QEvent::EnabledChange && type != QEvent::ToolTipChange))
        return QObject::eventFilter(watched, event);
    Guarded *guarded = find(watched);
    if (guarded && guarded->button) {
        if (guarded->refusal.isEmpty()) {
            guarded->ownToolTip = guarded->button->toolTip();
        } else if (type == QEvent::ToolTipChange && guarded->button->toolTip() != guarded->refusal) {
            guarded->ownToolTip = guarded->button->toolTip();
            apply(*guarded);
        } else if (type == QEvent::EnabledChange && guarded->button->isEnabled()) {
            apply(*guarded);
        }
    }
    return QObject::eventFilter(watched, event);
}

PermissionGate::Guarded *PermissionGate::find(const QObject *target)
{
    for (Guarded &guarded : m_guarded) {
        if (guarded.action == target || guarded.button == target)
            return &guarded;
    }
    return nullptr;
}

const PermissionGate::Guarded *PermissionGate::find(const QObject *target) const
{
    return const_cast<PermissionGate *>(this)->find(target);
}
