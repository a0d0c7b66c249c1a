#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <memory>

// An NKEY: an Ed25519 key pair in NATS's encoding (nats-io/nkeys). Strings are RFC 4648 base32 without
// padding of [prefix byte(s)][key bytes][CRC16/XMODEM little-endian]: seeds start with "S" and the type
// letter ("SU..." user, "SA..." account, "SO..." operator), public keys with the type letter ("U...").
// Used to sign the server's nonce on connect (NKEY and JWT authentication).
class NatsNKey
{
public:
    enum class Type {
        Invalid,
        User,
        Account,
        Operator,
        Server,
        Cluster
    };

    NatsNKey();
    ~NatsNKey(); // wipes the seed from memory
    NatsNKey(const NatsNKey &other);
    NatsNKey &operator=(const NatsNKey &other);

    // Decodes a seed string ("SU..."). On failure returns an invalid key and sets *errorMessage to why
    // (bad base32, checksum mismatch, not a seed, unknown type).
    static NatsNKey fromSeed(const QByteArray &seed, QString *errorMessage = nullptr);
    // A new random key pair of the given type (tests use it to build operator/account/user chains).
    static NatsNKey create(Type type);

    bool isValid() const { return m_type != Type::Invalid; }
    Type type() const { return m_type; }
    // The encoded seed ("SU..."): a secret, never log it.
    QByteArray seed() const;
    // The encoded public key ("U...", 56 characters).
    QByteArray publicKey() const;
    // The raw 64-byte Ed25519 signature of data.
    QByteArray sign(const QByteArray &data) const;
    // Checks a raw Ed25519 signature against an encoded public key ("U...", "A...", ...).
    static bool verify(const QByteArray &publicKey, const QByteArray &data, const QByteArray &signature);

    // Helpers of the encoding, public so tests can check them against the official nkeys package.
    static QByteArray base32Encode(const QByteArray &data);
    static QByteArray base32Decode(const QByteArray &text, bool *ok);
    static quint16 crc16(const QByteArray &data);

private:
    Type m_type = Type::Invalid;
    QByteArray m_rawSeed;   // 32 bytes
    QByteArray m_rawPublic; // 32 bytes
};
