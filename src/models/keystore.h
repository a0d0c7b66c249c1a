#pragma once

#include "kventry.h"
#include "kvnames.h"

#include <QtCore/QByteArray>
#include <QtCore/QHash>

#include <memory>
#include <vector>

// The keys of a bucket and a few numbers each, packed for a million keys: every key's UTF-8 bytes in one
// arena, the numbers in parallel arrays, and an open-addressing index of 4-byte slots to find a key. A
// QString, a struct and a hash node per key cost several hundred bytes a key; this costs ~35 beyond the
// key's own bytes. Keys are only ever added (a deleted key stays, marked), so an id is stable: the
// models keep ids, never copies of keys.
// Frees KeyStore's index (mapped memory).
struct KeyStoreSlotsUnmap
{
    size_t bytes = 0;
    void operator()(quint32 *slots) const;
};

class KeyStore final
{
public:
    quint32 size() const { return quint32(m_starts.size()); }
    bool isEmpty() const { return m_starts.empty(); }

    QByteArrayView key(quint32 id) const
    {
        const quint32 start = m_starts[id];
        const quint32 end = id + 1 < m_starts.size() ? m_starts[id + 1] : quint32(m_arena.size());
        return QByteArrayView(m_arena.constData() + start, end - start);
    }
    QString keyString(quint32 id) const { return KvNames::keyFromSubject(key(id)); } // key(): the subject's bytes
    // Where the key starts in the arena: tree nodes name themselves by a slice of it.
    quint32 keyStart(quint32 id) const { return m_starts[id]; }
    QByteArrayView bytes(quint32 start, quint32 length) const
    {
        return QByteArrayView(m_arena.constData() + start, length);
    }

    // The key's id, or -1.
    qint64 find(QByteArrayView key) const;
    // Adds a key that is not there yet; returns its id.
    quint32 append(QByteArrayView key, const KvEntry &meta);
    void update(quint32 id, const KvEntry &meta);
    void reserve(quint32 keys, qsizetype keyBytes);
    void clear();

    quint64 revision(quint32 id) const { return m_revisions[id]; }
    qint64 createdMs(quint32 id) const { return m_createdMs[id]; }
    qint64 valueSize(quint32 id) const { return m_sizes[id]; }
    KvEntry::Operation operation(quint32 id) const { return KvEntry::Operation(m_flags[id] & 3); }
    // Not a live key: a delete or purge marker, or gone.
    bool isDeleted(quint32 id) const { return (m_flags[id] & (3 | kGone)) != 0; }
    // The server no longer holds the key: its entry's own TTL ran out (a marker, or a value on a bucket
    // without limit markers), which no watch is told. Cleared by the key's next entry.
    bool isGone(quint32 id) const { return (m_flags[id] & kGone) != 0; }
    void setGone(quint32 id) { m_flags[id] |= kGone; }
    // A limit marker the server wrote: 0 none, 1 MaxAge, 2 Purge, 3 Remove.
    quint8 marker(quint32 id) const { return quint8(m_flags[id] >> 2); }
    qint64 ttlNs(quint32 id) const { return m_ttls.value(id); }
    // Every key with a TTL of its own, and that TTL (few keys have one).
    const QHash<quint32, qint64> &ttls() const { return m_ttls; }
    KvEntry entry(quint32 id) const;

    // Bytes held for the keys (capacity, not just size): the model's own accounting.
    qsizetype bytesUsed() const;

private:
    static constexpr quint8 kGone = 1 << 4;

    void setMeta(quint32 id, const KvEntry &meta);
    void growIndex();
    void insertIndex(quint32 id);

    QByteArray m_arena;
    std::vector<quint32> m_starts;
    std::vector<quint64> m_revisions;
    std::vector<qint64> m_createdMs;
    std::vector<quint32> m_sizes;  // a value is at most max_payload (64 MiB at most)
    std::vector<quint8> m_flags;   // operation (2 bits), marker reason (2 bits), gone (1 bit)
    QHash<quint32, qint64> m_ttls; // few keys have a TTL of their own (nats-server 2.11+)
    // The index: id + 1 by the key's hash, 0: free; at most half full. Mapped anonymously: the kernel
    // hands zeroed pages as they are first written, so sizing it for a million keys does not clear 8 MB
    // in one turn (std::vector::assign did: 27-35 ms of page faults at the first batch of a load; glibc's
    // calloc() clears too once a large block was freed before).
    void resetIndex(size_t capacity);
    std::unique_ptr<quint32[], KeyStoreSlotsUnmap> m_index;
    size_t m_indexSize = 0;
};
