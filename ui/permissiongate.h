#pragma once

#include "kvpermissions.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

class AsOfBar;
class BucketListModel;
class BucketPanel;
class HistoryPanel;
class JetStreamContext;
class KvContext;
class KvUserPermissions;
class QAbstractButton;
class QAction;
class ValuePanel;
class WatchPanel;

// Disables what the connected user may not do, with the missing permission as the tooltip ("you may not
// publish to $KV.orders.>"), on top of what the panels decide themselves: a refused action sits in a
// disabled QActionGroup of its own, so the panel's own setEnabled() is kept and comes back when the
// refusal goes (another bucket, key or connection). A button that mirrors an action follows it. The
// rules are KvPermissions' (src/kv); permissions unknown (nats-server 2.9) refuse nothing.
class PermissionGate final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PermissionGate)

public:
    // The refusal for an action in bucket (the one shown) on key (the one open; may be empty).
    using Check = std::function<QString(const KvPermissions &permissions, const QString &bucket, const QString &key)>;

    explicit PermissionGate(QObject *parent = nullptr);
    ~PermissionGate() override;

    // Guards the panels' actions and buttons, follows the bucket and key they show, and marks the
    // buckets the user cannot read, or whose keys they cannot list, in the bucket list.
    void guardPanels(BucketPanel *buckets, ValuePanel *value, HistoryPanel *history);
    // Guards what watches a bucket or reads its past: New Watch (some bucket; its button on the empty
    // panel follows it), and the bucket as of a time and its differences (the bucket shown).
    void guardWatching(WatchPanel *watches, AsOfBar *asOf);
    // action must belong to no QActionGroup: the gate puts it in one of its own.
    void guard(QAction *action, const Check &check);
    // A button the panel enables as leader is enabled; refused while leader is.
    void guardFollower(QAbstractButton *button, QAction *leader);

    // Rules for the window's own actions.
    static Check writeRule();
    static Check readRule();
    // Reading the values of keys already listed (Find in Values).
    static Check getRule();
    static Check watchRule();

    // Asks the user's permissions on context's connection (a new session); nullptr forgets them. kv,
    // when given, is told them (KvContext::setPermissions()).
    void setJetStream(JetStreamContext *context, KvContext *kv = nullptr);
    void setPermissions(const KvPermissions &permissions);
    KvPermissions permissions() const { return m_permissions; }
    void setBucket(const QString &bucket);
    void setKey(const QString &key);

    // Why the user may not read bucket's values ("" when allowed or unknown).
    QString bucketRefusal(const QString &bucket) const;
    // Why the user may not list or watch the keys of a bucket whose values they may read ("" when they
    // may, or unknown).
    QString bucketLimit(const QString &bucket) const;
    // The refusal applied to an action or button now ("" when none).
    QString refusal(const QObject *target) const;

Q_SIGNALS:
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Guarded
    {
        QPointer<QAction> action;
        QPointer<QAbstractButton> button; // a follower of leader
        QPointer<QAction> leader;
        Check check;
        QString refusal;    // applied now
        QString ownToolTip; // the panel's, restored when the refusal goes
    };

    void applyAll();
    // Reads go the way each listed bucket's stream says (direct gets or STREAM.MSG.GET), and a mirror's
    // reads and writes by its origin's subjects.
    void learnReadPaths();
    void apply(Guarded &guarded);
    void applyToAction(Guarded &guarded, const QString &refusal);
    void applyToButton(Guarded &guarded, const QString &refusal);
    void onActionChanged(QAction *action);
    Guarded *find(const QObject *target);
    const Guarded *find(const QObject *target) const;

    QList<Guarded> m_guarded;
    QPointer<KvUserPermissions> m_source;
    QPointer<KvContext> m_kv;
    QPointer<BucketListModel> m_buckets;
    KvPermissions m_permissions;
    QString m_bucket;
    QString m_key;
    bool m_applying = false;
};
