#include "natsheaders.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QString>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {
const QByteArray kVersionLine = "NATS/1.0"_ba;

// Where the "\r\n" at or after from begins, -1 when there is none: memchr for the LF, then its CR
// (a lone LF inside a line is part of it, as QByteArray::indexOf("\r\n") had it).
qsizetype lineEndIn(QByteArrayView block, qsizetype from)
{
    const char *data = block.data();
    const char *end = data + block.size();
    for (const char *at = data + from + 1; at < end;) {
        const char *lf = static_cast<const char *>(std::memchr(at, '\n', size_t(end - at)));
        if (!lf)
            return -1;
        if (lf[-1] == '\r')
            return (lf - 1) - data;
        at = lf + 1;
    }
    return -1;
}

// The header names the server and the clients send on every JetStream message: shared, not allocated
// for each message that carries one. Any other name is copied.
QByteArray knownKey(QByteArrayView key)
{
    static const QByteArray known[] = {
        "Nats-Msg-Id"_ba,           "KV-Operation"_ba,       "Nats-Rollup"_ba,
        "Nats-Stream"_ba,           "Nats-Subject"_ba,       "Nats-Sequence"_ba,
        "Nats-Time-Stamp"_ba,       "Nats-Num-Pending"_ba,   "Nats-Last-Sequence"_ba,
        "Nats-UpTo-Sequence"_ba,    "Nats-TTL"_ba,           "Nats-Marker-Reason"_ba,
        "Nats-Last-Consumer"_ba,    "Nats-Last-Stream"_ba,   "Nats-Consumer-Stalled"_ba,
        "Nats-Pending-Messages"_ba, "Nats-Pending-Bytes"_ba, "Nats-Expected-Last-Subject-Sequence"_ba,
    };
    for (const QByteArray &name : known) {
        if (name.size() == key.size() && std::memcmp(name.constData(), key.data(), size_t(key.size())) == 0)
            return name;
    }
    return key.toByteArray();
}

} // namespace

void NatsHeaders::setStatus(int code, const QByteArray &description)
{
    m_status = code;
    m_description = description;
}

QByteArray NatsHeaders::value(QByteArrayView key, const QByteArray &defaultValue) const
{
    for (const Entry &entry : m_entries) {
        if (entry.first == key)
            return entry.second;
    }
    return defaultValue;
}

QList<QByteArray> NatsHeaders::values(QByteArrayView key) const
{
    QList<QByteArray> result;
    for (const Entry &entry : m_entries) {
        if (entry.first == key)
            result.append(entry.second);
    }
    return result;
}

bool NatsHeaders::contains(QByteArrayView key) const
{
    for (const Entry &entry : m_entries) {
        if (entry.first == key)
            return true;
    }
    return false;
}

void NatsHeaders::append(const QByteArray &key, const QByteArray &value)
{
    m_entries.append({key, value});
}

void NatsHeaders::set(const QByteArray &key, const QByteArray &value)
{
    // The usual case (a publish option on a message without that header) needs no removeIf pass.
    if (contains(key))
        remove(key);
    append(key, value);
}

void NatsHeaders::remove(const QByteArray &key)
{
    m_entries.removeIf([&key](const Entry &entry) { return entry.first == key; });
}

void NatsHeaders::removeKeys(std::initializer_list<QByteArrayView> keys)
{
    const auto listed = [keys](const Entry &entry) {
        return std::find(keys.begin(), keys.end(), QByteArrayView(entry.first)) != keys.end();
    };
    const auto removed = std::count_if(m_entries.cbegin(), m_entries.cend(), listed);
    if (removed == 0)
        return; // a shared list stays shared
    if (removed == m_entries.size())
        m_entries = {}; // clear() would allocate a list of the same capacity for a shared one
    else
        m_entries.removeIf(listed);
}

QList<QByteArray> NatsHeaders::keys() const
{
    QList<QByteArray> result;
    for (const Entry &entry : m_entries) {
        if (!result.contains(entry.first))
            result.append(entry.first);
    }
    return result;
}

QString NatsHeaders::validate(const QByteArray &key, const QByteArray &value)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("NatsHeaders", text); };
    if (key.isEmpty())
        return tr("header name is empty");
    for (const char c : key) {
        if (c == ':' || c == '\r' || c == '\n' || c == ' ' || c == '\t')
            return tr("header name \"%1\" contains a colon, space or line break").arg(QString::fromUtf8(key));
    }
    if (value.contains('\r') || value.contains('\n'))
        return tr("value of header \"%1\" contains a line break").arg(QString::fromUtf8(key));
    return {};
}

QByteArray NatsHeaders::toWire() const
{
    // Every JetStream publish with an id or an expectation encodes a block: sized first and written into
    // one allocation, instead of a temporary per line.
    qsizetype size = kVersionLine.size() + 4;
    for (const Entry &entry : m_entries)
        size += entry.first.size() + entry.second.size() + 4;
    QByteArray status;
    if (m_status > 0) {
        status = ' ' + QByteArray::number(m_status);
        if (!m_description.isEmpty())
            status += ' ' + m_description;
        size += status.size();
    }
    QByteArray out(size, Qt::Uninitialized);
    char *at = out.data();
    const auto put = [&at](QByteArrayView bytes) {
        if (!bytes.isEmpty())
            at = std::copy(bytes.begin(), bytes.end(), at);
    };
    put(kVersionLine);
    put(status);
    put("\r\n");
    for (const Entry &entry : m_entries) {
        put(entry.first);
        put(": ");
        put(entry.second);
        put("\r\n");
    }
    put("\r\n");
    Q_ASSERT(at == out.data() + out.size());
    return out;
}

// nats-server stores any header block a client sends (2.9.10 to 2.15.1 check only its length), and hands
// it to every reader: one that dropped the message for it would lose the entry, and a watch would meet
// the same gap each time it started over. So what can be read is kept and what cannot is skipped, as the
// server itself reads its own headers out of such a block.
bool NatsHeaders::fromWire(const QByteArray &block, NatsHeaders *out)
{
    NatsHeaders headers;
    const QByteArrayView view(block);
    qsizetype lineEnd = lineEndIn(view, 0);
    if (!block.startsWith(kVersionLine) || lineEnd < 0) {
        *out = std::move(headers);
        return false;
    }
    bool clean = readStatus(view.sliced(kVersionLine.size(), lineEnd - kVersionLine.size()).trimmed(), &headers);

    // Views into the block: every watched entry carries a header block, so only the values kept are
    // allocated (and the keys the server does not usually send).
    qsizetype pos = lineEnd + 2;
    bool ended = false;
    while (pos < block.size()) {
        lineEnd = lineEndIn(view, pos);
        if (lineEnd < 0)
            break;
        if (lineEnd == pos) {
            ended = true; // the empty line that ends the block
            break;
        }
        const QByteArrayView line = view.sliced(pos, lineEnd - pos);
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView key = colon > 0 ? line.first(colon).trimmed() : QByteArrayView();
        if (!key.isEmpty())
            headers.m_entries.append({knownKey(key), line.sliced(colon + 1).trimmed().toByteArray()});
        clean = clean && !key.isEmpty();
        pos = lineEnd + 2;
    }
    *out = std::move(headers);
    return clean && ended;
}

// "503", "100 Idle Heartbeat" or nothing, after "NATS/1.0". Returns false for one that is no status.
bool NatsHeaders::readStatus(QByteArrayView statusPart, NatsHeaders *headers)
{
    if (statusPart.isEmpty())
        return true;
    const qsizetype space = statusPart.indexOf(' ');
    bool ok = false;
    const int code = statusPart.first(space < 0 ? statusPart.size() : space).toInt(&ok);
    if (!ok || code < 0 || code > 999)
        return false;
    headers->m_status = code;
    if (space > 0)
        headers->m_description = statusPart.sliced(space + 1).trimmed().toByteArray();
    return true;
}
