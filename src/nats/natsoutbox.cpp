#include "natsoutbox.h"

quint64 NatsOutbox::append(const QByteArray &bytes)
{
    const quint64 ticket = m_nextTicket++;
    m_entries.emplace_hint(m_entries.end(), ticket, bytes);
    m_bytes += bytes.size();
    return ticket;
}

bool NatsOutbox::withdraw(quint64 ticket)
{
    const auto it = m_entries.find(ticket);
    if (it == m_entries.end())
        return false;
    m_bytes -= it->second.size();
    m_entries.erase(it);
    return true;
}

QByteArray NatsOutbox::takeAll()
{
    QByteArray bytes;
    bytes.reserve(m_bytes);
    for (const auto &entry : m_entries)
        bytes += entry.second;
    clear();
    return bytes;
}

void NatsOutbox::clear()
{
    m_entries.clear();
    m_bytes = 0;
}
