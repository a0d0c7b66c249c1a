#include "natsnuid.h"

#include <QtCore/QRandomGenerator>

#include <algorithm>

namespace {
constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr int kBase = 62;
constexpr int kPrefixLength = NatsNuid::PrefixLength;
constexpr int kSequenceLength = 10;
constexpr quint64 kMaxSequence = 839299365868340224ULL; // 62^10
constexpr quint64 kMinIncrement = 33;
constexpr quint64 kMaxIncrement = 333;
static_assert(kPrefixLength + kSequenceLength == NatsNuid::Length);
} // namespace

NatsNuid::NatsNuid()
{
    randomizePrefix();
    resetSequential();
}

QByteArray NatsNuid::next()
{
    QByteArray id(Length, Qt::Uninitialized);
    next(id.data());
    return id;
}

void NatsNuid::next(char *out)
{
    m_sequence += m_increment;
    if (m_sequence >= kMaxSequence) {
        randomizePrefix();
        resetSequential();
    }
    std::copy_n(m_prefix, kPrefixLength, out);
    quint64 value = m_sequence;
    for (int i = kPrefixLength + kSequenceLength - 1; i >= kPrefixLength; --i) {
        out[i] = kDigits[value % kBase];
        value /= kBase;
    }
}

void NatsNuid::randomizePrefix()
{
    // QRandomGenerator::system() reads the OS's cryptographic source.
    for (int i = 0; i < kPrefixLength; ++i)
        m_prefix[i] = kDigits[QRandomGenerator::system()->bounded(kBase)];
}

void NatsNuid::resetSequential()
{
    // Not QRandomGenerator::global(): its first use seeds a Mersenne Twister with 2.5 KB from the system
    // source (hundreds of RDSEEDs), a quarter of a millisecond of every kvdesk-cli process, for two numbers.
    m_sequence = QRandomGenerator::system()->bounded(kMaxSequence);
    m_increment = kMinIncrement + QRandomGenerator::system()->bounded(kMaxIncrement - kMinIncrement);
}

NatsNuid &NatsNuid::shared()
{
    static NatsNuid generator;
    return generator;
}

QByteArray NatsNuid::generate()
{
    return shared().next();
}

void NatsNuid::generate(char *out)
{
    shared().next(out);
}

QByteArray NatsNuid::newInbox(const QByteArray &prefix)
{
    const qsizetype prefixLength = prefix.size() + 1;
    QByteArray inbox(prefixLength + Length, Qt::Uninitialized);
    std::copy_n(prefix.constData(), prefix.size(), inbox.data());
    inbox[prefix.size()] = '.';
    generate(inbox.data() + prefixLength);
    return inbox;
}
