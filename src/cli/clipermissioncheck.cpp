#include "clipermissioncheck.h"

#include "kvcontext.h"
#include "kvreply.h"

#include <QtCore/QObject>

using namespace Qt::StringLiterals;

namespace CliPermissionCheck {

QString refusal(const QString &command, const QStringList &arguments, const KvPermissions &permissions)
{
    if (!permissions.isKnown())
        return {};
    const QString bucket = arguments.value(0);
    const QString key = arguments.value(1);
    if (command == "ls"_L1)
        return bucket.isEmpty() ? permissions.listBucketsRefusal() : permissions.watchRefusal(bucket);
    if (command == "ls -n"_L1)
        return permissions.listBucketsRefusal(false);
    if (command == "add"_L1)
        return permissions.createBucketRefusal(bucket);
    if (command == "edit"_L1)
        return permissions.editBucketRefusal(bucket);
    if (command == "info"_L1)
        return permissions.statusRefusal(bucket);
    if (command == "rm"_L1)
        return key.isEmpty() ? permissions.deleteBucketRefusal(bucket) : permissions.writeRefusal(bucket, key);
    if (command == "compact"_L1)
        return permissions.compactRefusal(bucket);
    if (command == "put"_L1 || command == "create"_L1 || command == "update"_L1 || command == "purge"_L1)
        return permissions.writeRefusal(bucket, key);
    if (command == "import"_L1)
        return permissions.writeRefusal(bucket);
    if (command == "get"_L1)
        return permissions.getRefusal(bucket, key);
    if (command == "revert"_L1)
        return permissions.revertRefusal(bucket, key);
    if (command == "history"_L1)
        return permissions.historyRefusal(bucket);
    if (command == "watch"_L1 || command == "export"_L1 || command == "diff"_L1)
        return permissions.watchRefusal(bucket);
    return {};
}

QString bucketToResolve(const QString &command, const QStringList &arguments, const KvPermissions &permissions)
{
    // What reads or writes keys is judged by the subjects the bucket's stream config decides: the read
    // path, and for a bucket that mirrors another the origin's subjects (KvPermissions::setStreamConfig).
    static const QStringList keyCommands{u"get"_s,    u"revert"_s, u"put"_s, u"create"_s,
                                         u"update"_s, u"purge"_s,  u"rm"_s,  u"import"_s};
    const QString bucket = arguments.value(0);
    // A user without restrictions (the usual case) is refused nothing: no STREAM.INFO to ask.
    if (!permissions.natsPermissions().isRestricted() || bucket.isEmpty() || !keyCommands.contains(command)
        || permissions.knowsStreamConfig(bucket))
        return {};
    // rm without a key deletes the bucket; import names no key but writes many.
    if (command == "rm"_L1 && arguments.value(1).isEmpty())
        return {};
    return bucket;
}

void check(KvContext *kv, const QString &command, const QStringList &arguments, const KvPermissions &permissions,
           QObject *guard, const std::function<void(const QString &refusal)> &then)
{
    const QString bucket = bucketToResolve(command, arguments, permissions);
    if (bucket.isEmpty() || !kv) {
        then(refusal(command, arguments, permissions));
        return;
    }
    KvReply *status = kv->bucketStatus(bucket);
    // The reply is the context's child: it goes with the connection when guard goes first.
    QObject::connect(status, &KvReply::finished, guard, [status, bucket, command, arguments, permissions, then] {
        status->deleteLater();
        KvPermissions known = permissions;
        // A failure (no such bucket) leaves the path unknown: the command then meets the same error itself.
        if (status->error() == NatsError::NoError)
            known.setStreamConfig(bucket, status->status().streamInfo.config);
        then(refusal(command, arguments, known));
    });
}

} // namespace CliPermissionCheck
