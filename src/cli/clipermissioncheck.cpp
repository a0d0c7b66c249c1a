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
    if (command == "history"_L1 || command == "watch"_L1 || command == "export"_L1 || command == "diff"_L1)
        return permissions.watchRefusal(bucket);
    return {};
}

QString bucketToResolve(const QString &command, const QStringList &arguments, const KvPermissions &permissions)
{
    if (!permissions.isKnown() || (command != "get"_L1 && command != "revert"_L1))
        return {};
    const QString bucket = arguments.value(0);
    const QString key = arguments.value(1);
    if (permissions.readPath(bucket) != KvPermissions::ReadPath::Unknown)
        return {};
    using Path = KvPermissions::ReadPath;
    const bool same = permissions.getRefusal(bucket, key, Path::DirectGet).isEmpty()
        == permissions.getRefusal(bucket, key, Path::MessageGet).isEmpty();
    return same ? QString() : bucket;
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
            known.setReadPath(bucket, KvPermissions::readPathOf(status->status().streamInfo.config));
        then(refusal(command, arguments, known));
    });
}

} // namespace CliPermissionCheck
