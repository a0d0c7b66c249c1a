#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QString>
#include <QtCore/QStringView>

// The naming rules of Key/Value buckets and keys, shared with the official clients (nats.go kv.go):
// buckets are [A-Za-z0-9_-]+; keys are [-/_=.A-Za-z0-9]+ and may not start or end with a dot. We also
// refuse empty tokens ("a..b"): nats.go accepts them, and then every put fails with no responders.
namespace KvNames {

// Why name is not a valid bucket name, or an empty string when it is.
QString validateBucketName(const QString &name);
// The longest key this client can write into bucket (into any bucket when it is empty; longerInbox: the
// bytes a connection's inbox prefix has beyond "_INBOX"). See kvnames.cpp for how it is reckoned.
qsizetype maxKeyLength(const QString &bucket = {}, qsizetype longerInbox = 0);
// Why key is not a valid key (of bucket, when given: its length counts), or an empty string when it is.
QString validateKey(const QString &key, const QString &bucket = {}, qsizetype longerInbox = 0);
// Why key cannot name a key the bucket holds, or an empty string when it can: for reading, deleting,
// purging and guarded updates. Another client may have written any key a subject can hold ("café",
// "user@example.com"); kvdesk creates only keys validateKey() takes, as nats.go, but opens and removes
// the others. A key that is not UTF-8 text is refused: its requests name it in JSON.
QString validateExistingKey(const QString &key, const QString &bucket = {}, qsizetype longerInbox = 0);
// Why pattern is not a valid watch/list filter: an existing key (validateExistingKey()) whose tokens may
// also be "*" or a final ">".
QString validateKeyFilter(const QString &pattern);

// Key filters as NATS subject patterns ("*" one token, a final ">" one or more):
// whether key matches filter,
bool filterMatches(const QString &filter, const QString &key);
// whether every key that matches narrower also matches wider ("a.>" covers "a.*" and "a.b"),
bool filterCovers(const QString &wider, const QString &narrower);
// whether some key matches both ("a.*" and "*.b" overlap; nats-server 2.10 refuses overlapping
// filter_subjects with 10138).
bool filtersOverlap(const QString &a, const QString &b);

// A key is the bytes of its subject after the bucket's prefix. nats-server takes any bytes but whitespace in
// a subject, so another client can write a key that is not UTF-8 ("x" and the byte 0xFF): QString::fromUtf8
// would make every such byte U+FFFD, and two keys one. keyFromSubject() keeps a byte that is not part of
// UTF-8 as the lone surrogate U+DC00 + byte (Python's "surrogateescape"; no UTF-8 decodes to one), and
// keySubject() turns it back into the byte: every key read from a subject and every subject made from a
// key goes through these two, so a key round-trips byte for byte and distinct keys stay distinct.
QString keyFromSubject(QByteArrayView bytes);
QByteArray keySubject(QStringView key);
// Whether key holds such a byte (its bytes are not UTF-8 text).
bool keyHasRawBytes(QStringView key);
// The key for people (a listing, a message, a JSON "key" beside "key_base64"): each byte that is not UTF-8
// as "\xFF", and a backslash as "\\", so that no two keys read the same; a key with neither is itself.
QString displayKey(const QString &key);

QString streamName(const QString &bucket);       // "KV_<bucket>"
QByteArray subjectPrefix(const QString &bucket); // "$KV.<bucket>."
// The bucket name of stream "KV_<bucket>", or an empty string for any other stream.
QString bucketFromStream(const QString &stream);
// What to call a mirror's or a source's stream: its bucket's name, or the stream's own for another stream.
QString sourceBucket(const QString &stream);

// The subjects of a bucket that mirrors stream mirrorStream: a mirror has none of its own, so its keys
// keep the origin's prefix (read), and a write goes to the origin, an external mirror's through its API
// prefix (as nats.go). KvBucket sends on them and KvPermissions checks them: one rule for both.
struct MirrorPrefixes
{
    QByteArray read;
    QByteArray write;
};
MirrorPrefixes mirrorPrefixes(const QString &mirrorStream, const QString &externalApiPrefix);

} // namespace KvNames
