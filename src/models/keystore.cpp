#include "keystore.h"

#include <QtCore/QHashFunctions>

#include <limits>
#include <new>

#include <sys/mman.h>

namespace {

size_t hashOf(QByteArrayView key)
{
    return qHash(key, 0);
}

} // namespace

qint64 KeyStore::find(QByteArrayView key) const
{
    if (m_indexSize == 0)
        return -1;
    const size_t mask = m_indexSize - 1;
    for (size_t slot = hashOf(key) & mask;; slot = (slot + 1) & mask) {
        const quint32 entry = m_index[slot];
        if (entry == 0)
            return -1;
        if (this->key(entry - 1) == key)
            return entry - 1;
    }
}

void KeyStore::insertIndex(quint32 id)
{
    const size_t mask = m_indexSize - 1;
    size_t slot = hashOf(key(id)) & mask;
    while (m_index[slot] != 0)
        slot = (slot + 1) & mask;
    m_index[slot] = id + 1;
}

void KeyStore::growIndex()
{
    size_t capacity = std::max<size_t>(m_indexSize, 64);
    while (capacity < 2 * (size_t(size()) + 1))
        capacity *= 2;
    if (capacity == m_indexSize)
        return;
    resetIndex(capacity);
    for (quint32 id = 0; id < size(); ++id)
        insertIndex(id);
}

quint32 KeyStore::append(QByteArrayView key, const KvEntry &meta)
{
    const auto id = quint32(m_starts.size());
    if (2 * (size_t(id) + 1) > m_indexSize)
        growIndex();
    m_starts.push_back(quint32(m_arena.size()));
    m_arena.append(key.data(), key.size());
    m_revisions.push_back(0);
    m_createdMs.push_back(0);
    m_sizes.push_back(0);
    m_flags.push_back(0);
    setMeta(id, meta);
    insertIndex(id);
    return id;
}

void KeyStore::update(quint32 id, const KvEntry &meta)
{
    setMeta(id, meta);
}

void KeyStore::setMeta(quint32 id, const KvEntry &meta)
{
    m_revisions[id] = meta.revision;
    m_createdMs[id] = meta.created.isValid() ? meta.created.toMSecsSinceEpoch() : 0;
    m_sizes[id] = quint32(std::clamp<qint64>(meta.size(), 0, std::numeric_limits<quint32>::max()));
    quint8 marker = 0;
    if (meta.isLimitMarker())
        marker = meta.markerReason == "MaxAge" ? 1 : (meta.markerReason == "Remove" ? 3 : 2);
    m_flags[id] = quint8(int(meta.operation) | marker << 2);
    if (meta.ttlNs != 0)
        m_ttls.insert(id, meta.ttlNs);
    else
        m_ttls.remove(id);
}

KvEntry KeyStore::entry(quint32 id) const
{
    static const QByteArray reasons[] = {{}, "MaxAge", "Purge", "Remove"};
    KvEntry entry;
    entry.key = keyString(id);
    entry.revision = revision(id);
    entry.created = QDateTime::fromMSecsSinceEpoch(createdMs(id), Qt::UTC);
    entry.operation = operation(id);
    entry.valueSize = valueSize(id);
    entry.markerReason = reasons[marker(id)];
    entry.ttlNs = ttlNs(id);
    return entry;
}

void KeyStore::reserve(quint32 keys, qsizetype keyBytes)
{
    if (keyBytes > m_arena.capacity())
        m_arena.reserve(keyBytes);
    // The index at its final size now: growing it later rehashes every key in one go.
    size_t capacity = std::max<size_t>(m_indexSize, 64);
    while (capacity < 2 * (size_t(keys) + 1))
        capacity *= 2;
    if (capacity > m_indexSize) {
        resetIndex(capacity);
        for (quint32 id = 0; id < size(); ++id)
            insertIndex(id);
    }
    m_starts.reserve(keys);
    m_revisions.reserve(keys);
    m_createdMs.reserve(keys);
    m_sizes.reserve(keys);
    m_flags.reserve(keys);
}

void KeyStore::clear()
{
    *this = KeyStore();
}

qsizetype KeyStore::bytesUsed() const
{
    return m_arena.capacity() + qsizetype(m_starts.capacity() * sizeof(quint32))
        + qsizetype(m_revisions.capacity() * sizeof(quint64)) + qsizetype(m_createdMs.capacity() * sizeof(qint64))
        + qsizetype(m_sizes.capacity() * sizeof(quint32)) + qsizetype(m_flags.capacity())
        + qsizetype(m_indexSize * sizeof(quint32)) + m_ttls.size() * 32;
}

void KeyStore::resetIndex(size_t capacity)
{
    const size_t bytes = capacity * sizeof(quint32);
    void *slots = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (slots == MAP_FAILED)
        throw std::bad_alloc();
    // Hashing spreads the first keys over every page of the index: with huge pages (where the kernel
    // offers them) a million keys' index is a handful of page faults instead of 2,048 in the first batch.
    if (bytes >= 2 * 1024 * 1024)
        madvise(slots, bytes, MADV_HUGEPAGE);
    m_index = std::unique_ptr<quint32[], KeyStoreSlotsUnmap>(static_cast<quint32 *>(slots), KeyStoreSlotsUnmap{bytes});
    m_indexSize = capacity;
}

void KeyStoreSlotsUnmap::operator()(quint32 *slots) const
{
    munmap(slots, bytes);
}
