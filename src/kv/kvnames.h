#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

// The naming rules of Key/Value buckets and keys, shared with the official clients (nats.go kv.go):
// buckets are [A-Za-z0-9_-]+; keys are [-/_=.A-Za-z0-9]+ and may not start or end with a dot. We also
// refuse empty tokens ("a..b"): nats.go accepts them, and then every put fails with no responders.
namespace KvNames {

// Why name is not a valid bucket name, or an empty string when it is.
QString validateBucketName(const QString &name);
// Why key is not a valid key, or an empty string when it is.
QString validateKey(const QString &key);
// Why pattern is not a valid watch/list filter: a key whose tokens may also be "*" or a final ">".
QString validateKeyFilter(const QString &pattern);

QString streamName(const QString &bucket);       // "KV_<bucket>"
QByteArray subjectPrefix(const QString &bucket); // "$KV.<bucket>."
// The bucket name of stream "KV_<bucket>", or an empty string for any other stream.
QString bucketFromStream(const QString &stream);

} // namespace KvNames
