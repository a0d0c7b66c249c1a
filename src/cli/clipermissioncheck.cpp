#include "clipermissioncheck.h"

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

} // namespace CliPermissionCheck
