#include "natsheaders.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QString>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QByteArray kVersionLine = "NATS/1.0"_ba;
}

void NatsHeaders::setStatus(int code, const QByteArray &description)
{
    m_status = code;
    m_description = description;
}

QByteArray NatsHeaders::value(const QByteArray &key, const QByteArray &defaultValue) const
{
    for (const Entry &entry : m_entries) {
        if (entry.first == key)
            return entry.second;
    }
    return defaultValue;
}

QList<QByteArray> NatsHeaders::values(const QByteArray &key) const
{
    QList<QByteArray> result;
    for (const Entry &entry : m_entries) {
        if (entry.first == key)
            result.append(entry.second);
    }
    return result;
}

bool NatsHeaders::contains(const QByteArray &key) const
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

bool NatsHeaders::fromWire(const QByteArray &block, NatsHeaders *out)
{
    if (!block.startsWith(kVersionLine))
        return false;
    NatsHeaders headers;
    qsizetype lineEnd = block.indexOf("\r\n");
    if (lineEnd < 0)
        return false;

    // Status line: "NATS/1.0", "NATS/1.0 503" or "NATS/1.0 100 Idle Heartbeat".
    const QByteArray statusPart = block.mid(kVersionLine.size(), lineEnd - kVersionLine.size()).trimmed();
    if (!statusPart.isEmpty()) {
        const qsizetype space = statusPart.indexOf(' ');
        bool ok = false;
        const int code = statusPart.left(space < 0 ? statusPart.size() : space).toInt(&ok);
        if (!ok || code < 0 || code > 999)
            return false;
        headers.m_status = code;
        if (space > 0)
            headers.m_description = statusPart.mid(space + 1).trimmed();
    }

    // Views into the block: every watched entry carries a header block, so only the keys and values
    // kept are allocated.
    const QByteArrayView view(block);
    qsizetype pos = lineEnd + 2;
    while (pos < block.size()) {
        lineEnd = block.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return false;
        if (lineEnd == pos)
            break; // the empty line that ends the block
        const QByteArrayView line = view.sliced(pos, lineEnd - pos);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArrayView key = line.first(colon).trimmed();
        if (!key.isEmpty())
            headers.m_entries.append({key.toByteArray(), line.sliced(colon + 1).trimmed().toByteArray()});
        pos = lineEnd + 2;
    }
    *out = headers;
    return true;
}
