#include "natsnuid.h"

#include <QtCore/QRandomGenerator>

namespace {
constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr int kBase = 62;
constexpr int kPrefixLength = 12;
constexpr int kSequenceLength = 10;
constexpr quint64 kMaxSequence = 839299365868340224ULL; // 62^10
constexpr quint64 kMinIncrement = 33;
constexpr quint64 kMaxIncrement = 333;
} // namespace

NatsNuid::NatsNuid()
{
    randomizePrefix();
    resetSequential();
}

QByteArray NatsNuid::next()
{
    m_sequence += m_increment;
    if (m_sequence >= kMaxSequence) {
        randomizePrefix();
        resetSequential();
    }
    QByteArray id = m_prefix;
    id.resize(kPrefixLength + kSequenceLength);
    quint64 value = m_sequence;
    for (int i = kPrefixLength + kSequenceLength - 1; i >= kPrefixLength; --i) {
        id[i] = kDigits[value % kBase];
        value /= kBase;
    }
    return id;
}

void NatsNuid::randomizePrefix()
{
    // QRandomGenerator::system() reads the OS's cryptographic source.
    m_prefix.resize(kPrefixLength);
    for (int i = 0; i < kPrefixLength; ++i)
        m_prefix[i] = kDigits[QRandomGenerator::system()->bounded(kBase)];
}

void NatsNuid::resetSequential()
{
    m_sequence = QRandomGenerator::global()->bounded(kMaxSequence);
    m_increment = kMinIncrement + QRandomGenerator::global()->bounded(kMaxIncrement - kMinIncrement);
}

QByteArray NatsNuid::generate()
{
    static NatsNuid shared;
    return shared.next();
}

QByteArray NatsNuid::newInbox()
{
    QByteArray inbox = QByteArrayLiteral("_INBOX.");
    inbox += generate();
    return inbox;
}
