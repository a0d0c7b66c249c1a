#include "natsoutbox.h"

#include <algorithm>

quint64 NatsOutbox::appendedFrom(qsizetype begin)
{
    const quint64 ticket = m_nextTicket++;
    m_frames.push_back({ticket, begin, m_bytes.size(), false});
    return ticket;
}

quint64 NatsOutbox::append(const QByteArray &bytes)
{
    const qsizetype begin = m_bytes.size();
    m_bytes.append(bytes);
    return appendedFrom(begin);
}

const NatsOutbox::Frame *NatsOutbox::find(quint64 ticket) const
{
    const auto it = std::lower_bound(m_frames.begin(), m_frames.end(), ticket,
                                     [](const Frame &frame, quint64 wanted) { return frame.ticket < wanted; });
    if (it == m_frames.end() || it->ticket != ticket || it->withdrawn)
        return nullptr;
    return &*it;
}

bool NatsOutbox::withdraw(quint64 ticket)
{
    // Only marked: cutting it out of the middle would move everything after it, once per withdrawn
    // request of a pipeline. takeAll() skips it.
    auto *frame = const_cast<Frame *>(find(ticket));
    if (!frame)
        return false;
    frame->withdrawn = true;
    m_withdrawnBytes += frame->end - frame->begin;
    return true;
}

bool NatsOutbox::contains(quint64 ticket) const
{
    return find(ticket) != nullptr;
}

void NatsOutbox::takeAll(const std::function<void(const char *data, qsizetype size)> &sink)
{
    if (isEmpty()) {
        reset();
        return;
    }
    if (m_withdrawnBytes == 0) {
        sink(m_bytes.constData(), m_bytes.size());
    } else {
        qsizetype from = 0;
        for (const Frame &frame : m_frames) {
            if (!frame.withdrawn)
                continue;
            if (frame.begin > from)
                sink(m_bytes.constData() + from, frame.begin - from);
            from = frame.end;
        }
        if (m_bytes.size() > from)
            sink(m_bytes.constData() + from, m_bytes.size() - from);
    }
    reset();
}

QByteArray NatsOutbox::takeAll()
{
    QByteArray bytes;
    bytes.reserve(size());
    takeAll([&bytes](const char *data, qsizetype size) { bytes.append(data, size); });
    return bytes;
}

void NatsOutbox::clear()
{
    reset();
}

void NatsOutbox::reset()
{
    // The batch's buffer is kept from turn to turn: no allocation per batch.
    if (m_bytes.capacity() > KeptCapacity)
        m_bytes = QByteArray();
    else
        m_bytes.resize(0);
    m_frames.clear();
    m_withdrawnBytes = 0;
}
