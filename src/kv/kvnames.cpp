#include "kvnames.h"

#include "natsprotocol.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("KvNames", text);
}

// A byte of a key that is not UTF-8, as keyFromSubject() keeps it: U+DC00 + the byte (0x80..0xFF).
constexpr char16_t kRawByteBase = 0xDC00;

// Whether key[i] is such a byte: U+DC80..U+DCFF alone, not the low half of a pair (U+10xxxx has those too).
bool isRawByteAt(QStringView key, qsizetype i)
{
    const char16_t unit = key[i].unicode();
    return unit >= kRawByteBase + 0x80 && unit <= kRawByteBase + 0xFF && (i == 0 || !key[i - 1].isHighSurrogate());
}

bool isBucketChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' || c == u'-';
}

bool isKeyChar(QChar c)
{
    return isBucketChar(c) || c == u'/' || c == u'=' || c == u'.';
}

// The characters of a key token, [-/_=A-Za-z0-9], as a table over ASCII: one load per character.
struct KeyCharTable
{
    bool allowed[128] = {};
    constexpr KeyCharTable()
    {
        for (int c = 'a'; c <= 'z'; ++c)
            allowed[c] = true;
        for (int c = 'A'; c <= 'Z'; ++c)
            allowed[c] = true;
        for (int c = '0'; c <= '9'; ++c)
            allowed[c] = true;
        allowed[int('-')] = allowed[int('_')] = allowed[int('/')] = allowed[int('=')] = true;
    }
};
constexpr KeyCharTable kKeyChars;

// Whether key is valid, in one pass over its UTF-16 units: every put checks its key, and a valid key
// needs no token list or message. The same rules as checkTokens(key, false).
bool isValidKey(QStringView key)
{
    if (key.isEmpty() || key.front() == u'.' || key.back() == u'.')
        return false;
    bool afterDot = false;
    for (const QChar c : key) {
        const char16_t unit = c.unicode();
        if (unit == u'.') {
            if (afterDot)
                return false; // an empty token
            afterDot = true;
        } else if (unit >= 128 || !kKeyChars.allowed[unit]) {
            return false;
        } else {
            afterDot = false;
        }
    }
    return true;
}

// The character at text[i], whole: a character beyond U+FFFF is two UTF-16 units, and one alone prints as "?".
QString describeChar(QStringView text, qsizetype i)
{
    const QChar c = text[i];
    if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
        return u"\"%1\""_s.arg(text.mid(i, 2));
    if (isRawByteAt(text, i))
        return tr("the byte \\x%1, which is not UTF-8").arg(QString::number(c.unicode() - kRawByteBase, 16).toUpper());
    if (c == u' ')
        return tr("a space");
    if (c.unicode() < 0x20 || c.unicode() == 0x7f)
        return tr("a control character (U+%1)").arg(QString::number(c.unicode(), 16).rightJustified(4, u'0').toUpper());
    return u"\"%1\""_s.arg(c);
}

// A key in a message: as typed, but one read from a server with bytes that are not UTF-8 escaped (those
// bytes print as "?" or U+FFFD).
QString shownKey(const QString &key)
{
    return KvNames::keyHasRawBytes(key) ? KvNames::displayKey(key) : key;
}

// A glob's habit (widget.1*): say how NATS writes it, with the user's own filter.
QString wildcardInsideToken(QStringList tokens, qsizetype index)
{
    const QChar wildcard = tokens[index].contains(u'*') ? u'*' : u'>';
    const QString token = tokens[index];
    // ">" only ends a filter: elsewhere the whole-token form is "*".
    tokens[index] = wildcard == u'>' && index == tokens.size() - 1 ? u">"_s : u"*"_s;
    return tr("has \"%1\" inside the token \"%2\"; a wildcard stands for a whole token, as in %3")
        .arg(wildcard)
        .arg(token, tokens.join(u'.'));
}

// What a subject can hold, so a key another client wrote: anything but whitespace, control characters
// and wildcards. A byte that is not UTF-8 is refused too: a read or a history names its key in JSON.
QString checkSubjectChar(QStringView token, qsizetype at)
{
    const QChar c = token[at];
    if (isRawByteAt(token, at))
        return tr("contains %1 text: such a key can be listed, watched and exported, not read or changed by name")
            .arg(describeChar(token, at));
    if (c == u' ' || c.unicode() < 0x20 || c.unicode() == 0x7f || c == u'*' || c == u'>')
        return tr("contains %1, which no key can hold").arg(describeChar(token, at));
    return {};
}

// keys: which characters a key may have: those nats.go writes (KeyChars::Official), or any a subject
// can hold (KeyChars::Subject: keys that exist, and filters).
enum class KeyChars {
    Official,
    Subject
};

QString checkTokens(const QString &text, bool allowWildcards, KeyChars keys = KeyChars::Official)
{
    if (text.startsWith(u'.'))
        return tr("starts with a dot");
    if (text.endsWith(u'.'))
        return tr("ends with a dot");
    const QStringList tokens = text.split(u'.');
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QString &token = tokens[i];
        if (token.isEmpty())
            return tr("has an empty token between dots");
        if (allowWildcards && (token == "*"_L1 || (token == ">"_L1 && i == tokens.size() - 1)))
            continue;
        if (allowWildcards && token == ">"_L1)
            return tr("has \">\" before the last token");
        if (allowWildcards && (token.contains(u'*') || token.contains(u'>')))
            return wildcardInsideToken(tokens, i);
        for (qsizetype at = 0; at < token.size(); ++at) {
            if (keys == KeyChars::Subject) {
                if (const QString problem = checkSubjectChar(token, at); !problem.isEmpty())
                    return problem;
            } else if (!isKeyChar(token[at])) {
                return tr("contains %1; allowed are ASCII letters, digits and - / _ = .").arg(describeChar(token, at));
            }
        }
    }
    return {};
}

// The length of the UTF-8 sequence at bytes[i] when it is one, else 0. Its lead byte says how long it would
// be; Qt's validator rules out overlong forms, surrogates and anything beyond U+10FFFF (RFC 3629).
qsizetype utf8SequenceAt(QByteArrayView bytes, qsizetype i)
{
    const uchar lead = uchar(bytes[i]);
    const qsizetype length = lead < 0x80 ? 1
        : lead < 0xC0                    ? 0
        : lead < 0xE0                    ? 2
        : lead < 0xF0                    ? 3
        : lead < 0xF8                    ? 4
                                         : 0;
    return length > 0 && i + length <= bytes.size() && bytes.sliced(i, length).isValidUtf8() ? length : 0;
}

} // namespace

namespace KvNames {

QString validateBucketName(const QString &name)
{
    if (name.isEmpty())
        return tr("bucket name is empty");
    // Its stream, KV_<name>, may have at most 255 characters (the server refuses a longer one).
    constexpr qsizetype kMaxBucketName = 255 - 3;
    if (name.size() > kMaxBucketName)
        return tr("bucket name is %1 characters long: at most %2").arg(name.size()).arg(kMaxBucketName);
    for (qsizetype at = 0; at < name.size(); ++at) {
        if (!isBucketChar(name[at]))
            return tr("bucket name \"%1\" is not valid: it contains %2; allowed are ASCII letters, digits, - and _")
                .arg(name, describeChar(name, at));
    }
    return {};
}

// nats-server closes the connection on a client's control line longer than max_control_line (4096 bytes by
// default, NatsProtocol::MaxControlLine), and a key is written in its subject: the longest write's line is
//   HPUB $KV.<bucket>.<key> <reply inbox> <header bytes> <total bytes>
// "HPUB " (5), "$KV." and the dot after the bucket (5), " " and the reply inbox "_INBOX.<22-character
// nuid>.<8-character token>" (39), " " and the header size (a KV write's headers, its message id, revision
// guard, operation, rollup and TTL, stay under 1,000 bytes: 4), " " and the total size (max_payload is at
// most 64 MiB, 8 digits: 9): 62 bytes beside the bucket's name and the key. Every write must fit (a delete and a guarded update carry headers), not only a plain
// put: a key that could be put but never deleted is refused. Reads name a long key in their request's body
// (JetStreamContext), so this is the one limit; a longer key cannot have been written by this client,
// and (but for a few bytes by a client publishing without a reply or headers) by any.
constexpr qsizetype kWriteLineBesideKey = 62;

qsizetype maxKeyLength(const QString &bucket, qsizetype longerInbox)
{
    const qsizetype bucketLength = bucket.isEmpty() ? 1 : bucket.toUtf8().size(); // any: the shortest
    return NatsProtocol::MaxControlLine - kWriteLineBesideKey - bucketLength - longerInbox;
}

QString validateKey(const QString &key, const QString &bucket, qsizetype longerInbox)
{
    if (isValidKey(key)) {
        const qsizetype limit = maxKeyLength(bucket, longerInbox);
        if (key.size() <= limit)
            return {};
        const QString shown = key.left(40) + u'…';
        const QString where = bucket.isEmpty() ? tr("in any bucket") : tr("in bucket \"%1\"").arg(bucket);
        return tr("key \"%1\" is %2 characters long: at most %3 fit %4 (its subject must fit the server's "
                  "%5-byte protocol line)")
            .arg(shown)
            .arg(key.size())
            .arg(limit)
            .arg(where)
            .arg(NatsProtocol::MaxControlLine);
    }
    if (key.isEmpty())
        return tr("key is empty");
    const QString problem = checkTokens(key, false);
    return problem.isEmpty() ? QString() : tr("key \"%1\" is not valid: it %2").arg(shownKey(key), problem);
}

QString validateExistingKey(const QString &key, const QString &bucket, qsizetype longerInbox)
{
    if (isValidKey(key))
        return validateKey(key, bucket, longerInbox); // its length
    if (key.isEmpty())
        return tr("key is empty");
    if (const QString problem = checkTokens(key, false, KeyChars::Subject); !problem.isEmpty())
        return tr("key \"%1\" is not valid: it %2").arg(shownKey(key), problem);
    // Its subject's bytes are what the protocol line holds: "é" is two.
    const qsizetype bytes = key.toUtf8().size();
    const qsizetype limit = maxKeyLength(bucket, longerInbox);
    if (bytes <= limit)
        return {};
    return tr("key \"%1\" is %2 bytes long: at most %3 fit (its subject must fit the server's %4-byte protocol line)")
        .arg(key.left(40) + u'…')
        .arg(bytes)
        .arg(limit)
        .arg(NatsProtocol::MaxControlLine);
}

QString validateKeyFilter(const QString &pattern)
{
    if (pattern.isEmpty())
        return tr("key filter is empty");
    const QString problem = checkTokens(pattern, true, KeyChars::Subject);
    return problem.isEmpty() ? QString() : tr("key filter \"%1\" is not valid: it %2").arg(pattern, problem);
}

QString keyFromSubject(QByteArrayView bytes)
{
    QString key = QString::fromUtf8(bytes);
    // Only a key with U+FFFD can hold bytes that are not UTF-8 (or a real U+FFFD): the usual key is done.
    if (!key.contains(QChar::ReplacementCharacter) || bytes.isValidUtf8())
        return key;
    key.clear();
    for (qsizetype i = 0; i < bytes.size();) {
        qsizetype run = 0;
        while (i + run < bytes.size()) {
            const qsizetype length = utf8SequenceAt(bytes, i + run);
            if (length == 0)
                break;
            run += length;
        }
        key += QString::fromUtf8(bytes.sliced(i, run));
        i += run;
        if (i < bytes.size())
            key += QChar(char16_t(kRawByteBase + uchar(bytes[i++])));
    }
    return key;
}

QByteArray keySubject(QStringView key)
{
    if (!keyHasRawBytes(key))
        return key.toUtf8();
    QByteArray bytes;
    bytes.reserve(key.size());
    for (qsizetype i = 0; i < key.size();) {
        qsizetype run = 0;
        while (i + run < key.size() && !isRawByteAt(key, i + run))
            ++run;
        bytes += key.sliced(i, run).toUtf8();
        i += run;
        if (i < key.size())
            bytes += char(key[i++].unicode() - kRawByteBase);
    }
    return bytes;
}

bool keyHasRawBytes(QStringView key)
{
    for (qsizetype i = 0; i < key.size(); ++i) {
        if (isRawByteAt(key, i))
            return true;
    }
    return false;
}

QString displayKey(const QString &key)
{
    if (!key.contains(u'\\') && !keyHasRawBytes(key))
        return key;
    QString shown;
    shown.reserve(key.size() + 8);
    for (qsizetype i = 0; i < key.size(); ++i) {
        if (key[i] == u'\\')
            shown += "\\\\"_L1;
        else if (isRawByteAt(key, i))
            shown += "\\x"_L1 + QString::number(key[i].unicode() - kRawByteBase, 16).toUpper();
        else
            shown += key[i];
    }
    return shown;
}

QString streamName(const QString &bucket)
{
    return "KV_"_L1 + bucket;
}

QByteArray subjectPrefix(const QString &bucket)
{
    return "$KV." + bucket.toUtf8() + '.';
}

QString bucketFromStream(const QString &stream)
{
    return stream.startsWith("KV_"_L1) ? stream.mid(3) : QString();
}

QString sourceBucket(const QString &stream)
{
    return stream.startsWith("KV_"_L1) ? stream.mid(3) : stream;
}

MirrorPrefixes mirrorPrefixes(const QString &mirrorStream, const QString &externalApiPrefix)
{
    const QString origin = sourceBucket(mirrorStream);
    MirrorPrefixes prefixes{subjectPrefix(origin), subjectPrefix(origin)};
    if (!externalApiPrefix.isEmpty())
        prefixes.write = externalApiPrefix.toUtf8() + '.' + prefixes.read;
    return prefixes;
}

} // namespace KvNames

bool KvNames::filterMatches(const QString &filter, const QString &key)
{
    const QStringList pattern = filter.split(u'.');
    const QStringList tokens = key.split(u'.');
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == ">"_L1)
            return tokens.size() > i;
        if (i >= tokens.size() || (pattern[i] != "*"_L1 && pattern[i] != tokens[i]))
            return false;
    }
    return tokens.size() == pattern.size();
}

bool KvNames::filterCovers(const QString &wider, const QString &narrower)
{
    const QStringList w = wider.split(u'.');
    const QStringList n = narrower.split(u'.');
    for (qsizetype i = 0; i < w.size(); ++i) {
        if (w[i] == ">"_L1)
            return n.size() > i;
        if (i >= n.size() || n[i] == ">"_L1)
            return false;
        if (w[i] != "*"_L1 && (n[i] == "*"_L1 || w[i] != n[i]))
            return false;
    }
    return n.size() == w.size();
}

bool KvNames::filtersOverlap(const QString &a, const QString &b)
{
    const QStringList x = a.split(u'.');
    const QStringList y = b.split(u'.');
    for (qsizetype i = 0; i < x.size() && i < y.size(); ++i) {
        if (x[i] == ">"_L1 || y[i] == ">"_L1)
            return true;
        if (x[i] != "*"_L1 && y[i] != "*"_L1 && x[i] != y[i])
            return false;
    }
    return x.size() == y.size();
}
