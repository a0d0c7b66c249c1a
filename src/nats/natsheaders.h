#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QPair>

#include <initializer_list>

// The header block of an HPUB/HMSG (ADR-4): an optional status line ("NATS/1.0 503", "NATS/1.0 100 Idle
// Heartbeat") followed by "Key: Value" lines. Keys keep their case and are compared case-sensitively, as
// the server and the official clients do; a key may repeat, one line per value, in the order added.
class NatsHeaders
{
public:
    using Entry = QPair<QByteArray, QByteArray>;

    NatsHeaders() = default;

    bool isEmpty() const { return m_entries.isEmpty() && m_status == 0; }

    // Status line (only in messages from the server): 0 when absent.
    int status() const { return m_status; }
    QByteArray statusDescription() const { return m_description; }
    void setStatus(int code, const QByteArray &description = {});

    // First value of key, or defaultValue when absent.
    QByteArray value(QByteArrayView key, const QByteArray &defaultValue = {}) const;
    QList<QByteArray> values(QByteArrayView key) const;
    // Keys are views: a lookup by a literal ("KV-Operation") builds no QByteArray.
    bool contains(QByteArrayView key) const;
    // Adds one more value for key (keeps the existing ones).
    void append(const QByteArray &key, const QByteArray &value);
    // Replaces every value of key by this one.
    void set(const QByteArray &key, const QByteArray &value);
    void remove(const QByteArray &key);
    // Removes every value of each of keys, in one pass.
    void removeKeys(std::initializer_list<QByteArrayView> keys);
    QList<Entry> entries() const { return m_entries; }
    QList<QByteArray> keys() const;

    // Why key/value cannot go on the wire (CR, LF, ':' or whitespace in a key; CR or LF in a value),
    // or an empty string when they can.
    static QString validate(const QByteArray &key, const QByteArray &value);
    // The whole block as sent: "NATS/1.0\r\n", the lines, and the closing "\r\n".
    QByteArray toWire() const;
    // Parses a block as received into *out: as much of it as can be read (a line that is no header, or a
    // status that is no number, is skipped; a block that does not start "NATS/1.0" gives no headers).
    // Returns false when anything was skipped.
    static bool fromWire(const QByteArray &block, NatsHeaders *out);

    bool operator==(const NatsHeaders &other) const = default;

private:
    static bool readStatus(QByteArrayView statusPart, NatsHeaders *headers);
    QList<Entry> m_entries;
    QByteArray m_description;
    int m_status = 0;
};

Q_DECLARE_METATYPE(NatsHeaders)
