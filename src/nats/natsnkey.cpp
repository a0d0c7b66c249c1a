#include "natsnkey.h"

#include "natscrypto.h"

#include <QtCore/QCoreApplication>

#include <memory>

// Encoding rules follow nats-io/nkeys strkey.go (see docs/nats-protocol.md §2.2).

namespace {
constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int kKeySize = 32; // Ed25519 seed and public key
constexpr int kSignatureSize = 64;
constexpr int kSeedTextLength = 58;     // base32 of [2 prefix bytes][32][CRC16]
constexpr quint8 kSeedPrefix = 18 << 3; // 'S'

// The first byte of a public key (and the type part of a seed) for each key type.
constexpr quint8 kPrefixOperator = 14 << 3; // 'O'
constexpr quint8 kPrefixServer = 13 << 3;   // 'N'
constexpr quint8 kPrefixCluster = 2 << 3;   // 'C'
constexpr quint8 kPrefixAccount = 0;        // 'A'
constexpr quint8 kPrefixUser = 20 << 3;     // 'U'

quint8 prefixForType(NatsNKey::Type type)
{
    switch (type) {
    case NatsNKey::Type::User:
        return kPrefixUser;
    case NatsNKey::Type::Account:
        return kPrefixAccount;
    case NatsNKey::Type::Operator:
        return kPrefixOperator;
    case NatsNKey::Type::Server:
        return kPrefixServer;
    case NatsNKey::Type::Cluster:
        return kPrefixCluster;
    case NatsNKey::Type::Invalid:
        break;
    }
    return 0xFF;
}

NatsNKey::Type typeForPrefix(quint8 prefix)
{
    switch (prefix) {
    case kPrefixUser:
        return NatsNKey::Type::User;
    case kPrefixAccount:
        return NatsNKey::Type::Account;
    case kPrefixOperator:
        return NatsNKey::Type::Operator;
    case kPrefixServer:
        return NatsNKey::Type::Server;
    case kPrefixCluster:
        return NatsNKey::Type::Cluster;
    default:
        break;
    }
    return NatsNKey::Type::Invalid;
}

int base32Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

void wipe(QByteArray &bytes)
{
    // Only wipe a buffer we own alone: data() on a shared one would detach and wipe a fresh copy.
    if (!bytes.isEmpty() && bytes.isDetached())
        NatsCrypto::cleanse(bytes.data(), static_cast<size_t>(bytes.size()));
    bytes.clear();
}

// Wipes a buffer holding secret bytes on every way out of a scope.
class WipeGuard
{
public:
    explicit WipeGuard(QByteArray &bytes)
        : m_bytes(bytes)
    {
    }
    ~WipeGuard() { wipe(m_bytes); }
    Q_DISABLE_COPY_MOVE(WipeGuard)

private:
    QByteArray &m_bytes;
};

const quint8 *asBytes(const QByteArray &bytes)
{
    return reinterpret_cast<const quint8 *>(bytes.constData());
}

// In place, so a seed is never copied into a buffer that nobody wipes.
void appendChecksum(QByteArray &raw)
{
    const quint16 crc = NatsNKey::crc16(raw);
    raw.append(static_cast<char>(crc & 0xFF));
    raw.append(static_cast<char>(crc >> 8));
}

struct PKeyDeleter
{
    void operator()(EVP_PKEY *key) const { NatsCrypto::get()->pkeyFree(key); }
};
struct MdCtxDeleter
{
    void operator()(EVP_MD_CTX *ctx) const { NatsCrypto::get()->mdCtxFree(ctx); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, PKeyDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

PKeyPtr privateKeyFromSeed(const NatsCrypto *crypto, const QByteArray &rawSeed)
{
    return PKeyPtr(
        crypto->pkeyNewRawPrivateKey(EVP_PKEY_ED25519, nullptr, asBytes(rawSeed), static_cast<size_t>(rawSeed.size())));
}

// RFC 8032: the public key is derived from the 32-byte seed.
QByteArray publicFromSeed(const QByteArray &rawSeed)
{
    const NatsCrypto *crypto = NatsCrypto::get();
    if (!crypto)
        return {};
    const PKeyPtr key = privateKeyFromSeed(crypto, rawSeed);
    if (!key)
        return {};
    QByteArray raw(kKeySize, Qt::Uninitialized);
    size_t length = kKeySize;
    if (crypto->pkeyGetRawPublicKey(key.get(), reinterpret_cast<unsigned char *>(raw.data()), &length) != 1
        || length != kKeySize) {
        return {};
    }
    return raw;
}

// Decodes base32, then checks and strips the CRC16 trailer: the part common to seeds and public keys.
bool decodeChecked(const QByteArray &text, QByteArray *raw)
{
    bool ok = false;
    QByteArray decoded = NatsNKey::base32Decode(text, &ok);
    const WipeGuard decodedGuard(decoded);
    if (!ok || decoded.size() < 4)
        return false;
    const qsizetype payloadSize = decoded.size() - 2;
    const quint16 stored = static_cast<quint16>(static_cast<quint8>(decoded.at(payloadSize))
                                                | static_cast<quint8>(decoded.at(payloadSize + 1)) << 8);
    decoded.truncate(payloadSize);
    if (NatsNKey::crc16(decoded) != stored)
        return false;
    *raw = QByteArray(decoded.constData(), decoded.size());
    return true;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsNKey", text);
}
} // namespace

NatsNKey::NatsNKey() = default;

NatsNKey::~NatsNKey()
{
    wipe(m_rawSeed);
}

// Deep copies, so that every key owns its seed buffer and its destructor really wipes it
// (implicit sharing would leave the last copy's wipe to chance).
NatsNKey::NatsNKey(const NatsNKey &other)
    : m_type(other.m_type)
    , m_rawSeed(other.m_rawSeed.constData(), other.m_rawSeed.size())
    , m_rawPublic(other.m_rawPublic)
{
}

NatsNKey &NatsNKey::operator=(const NatsNKey &other)
{
    if (this != &other) {
        wipe(m_rawSeed);
        m_type = other.m_type;
        m_rawSeed = QByteArray(other.m_rawSeed.constData(), other.m_rawSeed.size());
        m_rawPublic = other.m_rawPublic;
    }
    return *this;
}

NatsNKey NatsNKey::fromSeed(const QByteArray &seed, QString *errorMessage)
{
    const auto fail = [errorMessage](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return NatsNKey();
    };

    // Creds files and pasted text bring line ends and spaces along.
    QByteArray text = seed.trimmed();
    const WipeGuard textGuard(text);
    if (text.isEmpty())
        return fail(tr("the NKEY seed is empty"));
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (base32Value(text.at(i)) < 0) {
            return fail(tr("the NKEY seed contains '%1' at position %2, which is not a base32 character (A-Z, 2-7)")
                            .arg(QString(QChar::fromLatin1(text.at(i))), QString::number(i + 1)));
        }
    }

    QByteArray raw;
    const WipeGuard rawGuard(raw);
    if (!decodeChecked(text, &raw)) {
        // A wrong length is the likelier cause of a bad checksum for pasted text: name it.
        if (text.size() != kSeedTextLength) {
            return fail(tr("the NKEY seed has %1 characters instead of %2 (truncated or damaged)")
                            .arg(text.size())
                            .arg(kSeedTextLength));
        }
        return fail(tr("the NKEY seed's checksum does not match (mistyped or damaged)"));
    }

    const quint8 b0 = static_cast<quint8>(raw.at(0));
    if ((b0 & 0xF8) != kSeedPrefix) {
        if (typeForPrefix(b0) != Type::Invalid && raw.size() == kKeySize + 1)
            return fail(tr("this is an NKEY public key, not a seed (a seed starts with \"S\")"));
        return fail(tr("this is not an NKEY seed (a seed starts with \"S\")"));
    }
    if (raw.size() != kKeySize + 2)
        return fail(tr("the NKEY seed holds a key of the wrong length"));
    // Seed layout: [10010ttt][ttttt000] where t is the public prefix byte of the key type.
    const quint8 b1 = static_cast<quint8>(raw.at(1));
    const Type type = typeForPrefix(static_cast<quint8>(((b0 & 0x07) << 5) | ((b1 & 0xF8) >> 3)));
    if (type == Type::Invalid)
        return fail(tr("the NKEY seed has an unknown key type"));

    NatsNKey key;
    key.m_rawSeed = raw.mid(2);
    key.m_rawPublic = publicFromSeed(key.m_rawSeed);
    if (key.m_rawPublic.isEmpty())
        return fail(tr("the NKEY seed was rejected by the Ed25519 implementation"));
    key.m_type = type;
    return key;
}

NatsNKey NatsNKey::create(Type type)
{
    if (type == Type::Invalid)
        return {};
    const NatsCrypto *crypto = NatsCrypto::get();
    if (!crypto)
        return {};
    NatsNKey key;
    key.m_rawSeed.resize(kKeySize);
    if (crypto->randBytes(reinterpret_cast<unsigned char *>(key.m_rawSeed.data()), kKeySize) != 1)
        return {};
    key.m_rawPublic = publicFromSeed(key.m_rawSeed);
    if (key.m_rawPublic.isEmpty())
        return {};
    key.m_type = type;
    return key;
}

QByteArray NatsNKey::seed() const
{
    if (!isValid())
        return {};
    const quint8 prefix = prefixForType(m_type);
    QByteArray raw;
    const WipeGuard rawGuard(raw);
    raw.reserve(kKeySize + 4);
    raw.append(static_cast<char>(kSeedPrefix | (prefix >> 5)));
    raw.append(static_cast<char>((prefix & 0x1F) << 3));
    raw.append(m_rawSeed);
    appendChecksum(raw);
    return base32Encode(raw);
}

QByteArray NatsNKey::publicKey() const
{
    if (!isValid())
        return {};
    QByteArray raw(1, static_cast<char>(prefixForType(m_type)));
    raw.append(m_rawPublic);
    appendChecksum(raw);
    return base32Encode(raw);
}

QByteArray NatsNKey::sign(const QByteArray &data) const
{
    const NatsCrypto *crypto = NatsCrypto::get();
    if (!isValid() || !crypto)
        return {};
    const PKeyPtr key = privateKeyFromSeed(crypto, m_rawSeed);
    const MdCtxPtr ctx(crypto->mdCtxNew());
    if (!key || !ctx)
        return {};
    // Ed25519 is a one-shot scheme: no digest is given and EVP_DigestSign is called once.
    if (crypto->digestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return {};
    QByteArray signature(kSignatureSize, Qt::Uninitialized);
    size_t length = kSignatureSize;
    if (crypto->digestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, asBytes(data),
                           static_cast<size_t>(data.size()))
            != 1
        || length != kSignatureSize) {
        return {};
    }
    return signature;
}

bool NatsNKey::verify(const QByteArray &publicKey, const QByteArray &data, const QByteArray &signature)
{
    const NatsCrypto *crypto = NatsCrypto::get();
    if (signature.size() != kSignatureSize || !crypto)
        return false;
    QByteArray raw;
    if (!decodeChecked(publicKey.trimmed(), &raw) || raw.size() != kKeySize + 1
        || typeForPrefix(static_cast<quint8>(raw.at(0))) == Type::Invalid) {
        return false;
    }
    const PKeyPtr key(crypto->pkeyNewRawPublicKey(EVP_PKEY_ED25519, nullptr, asBytes(raw) + 1, kKeySize));
    const MdCtxPtr ctx(crypto->mdCtxNew());
    if (!key || !ctx || crypto->digestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return false;
    return crypto->digestVerify(ctx.get(), asBytes(signature), static_cast<size_t>(signature.size()), asBytes(data),
                                static_cast<size_t>(data.size()))
        == 1;
}

QByteArray NatsNKey::base32Encode(const QByteArray &data)
{
    QByteArray out;
    out.reserve((data.size() * 8 + 4) / 5);
    quint32 buffer = 0;
    int bits = 0;
    for (const char c : data) {
        buffer = (buffer << 8) | static_cast<quint8>(c);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.append(kBase32Alphabet[(buffer >> bits) & 0x1F]);
        }
    }
    if (bits > 0)
        out.append(kBase32Alphabet[(buffer << (5 - bits)) & 0x1F]);
    return out;
}

QByteArray NatsNKey::base32Decode(const QByteArray &text, bool *ok)
{
    if (ok)
        *ok = false;
    qsizetype length = text.size();
    while (length > 0 && text.at(length - 1) == '=')
        --length;
    // 1, 3 or 6 characters left over cannot come from whole bytes (RFC 4648 §6); Go rejects them too.
    const qsizetype rest = length % 8;
    if (rest == 1 || rest == 3 || rest == 6)
        return {};

    QByteArray out;
    out.reserve(length * 5 / 8);
    quint32 buffer = 0;
    int bits = 0;
    for (qsizetype i = 0; i < length; ++i) {
        const int value = base32Value(text.at(i));
        if (value < 0)
            return {};
        buffer = (buffer << 5) | static_cast<quint32>(value);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.append(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    // Leftover bits of the last character are ignored, as Go's decoder does: a 58-character seed ends
    // in 2 such bits, so Go accepts variants of the last character and so must we.
    if (ok)
        *ok = true;
    return out;
}

quint16 NatsNKey::crc16(const QByteArray &data)
{
    // CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection, no final xor.
    quint16 crc = 0;
    for (const char c : data) {
        crc ^= static_cast<quint16>(static_cast<quint8>(c) << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? static_cast<quint16>((crc << 1) ^ 0x1021) : static_cast<quint16>(crc << 1);
    }
    return crc;
}
