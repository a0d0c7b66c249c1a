#pragma once

#include "natsnkey.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

// An operator-mode trust chain for authentication tests (docs/nats-protocol.md §2.3), built from fresh
// random keys: an operator, a system account and an "APP" account with JetStream enabled, whose key signs
// user JWTs. serverConfig() gives nats-server the operator JWT and preloads both account JWTs; userCreds()
// makes ".creds" files the server accepts.
class NatsJwtIssuer final
{
public:
    NatsJwtIssuer();

    QByteArray operatorPublicKey() const { return m_operator.publicKey(); }
    QByteArray operatorJwt() const { return m_operatorJwt; }
    QByteArray systemAccountPublicKey() const { return m_systemAccount.publicKey(); }
    QByteArray systemAccountJwt() const { return m_systemAccountJwt; }
    QByteArray appAccountPublicKey() const { return m_appAccount.publicKey(); }
    QByteArray appAccountJwt() const { return m_appAccountJwt; }

    // The nats-server configuration for this chain (operator, system_account, MEMORY resolver with both
    // accounts preloaded, JetStream in storeDir). It has no listen/port line: the caller adds one.
    QByteArray serverConfig(const QString &storeDir) const;

    // A creds file for a new user of the APP account; expiresAt (Unix seconds) sets "exp" when not 0.
    QByteArray userCreds(const QString &name, qint64 expiresAt = 0) const;
    // The JWT of a user of the APP account with the given key (for tests that need the key pair).
    QByteArray userJwt(const NatsNKey &user, const QString &name, qint64 expiresAt = 0) const;
    // A creds file for a user signed by an account the server does not know: the server must refuse it
    // ("Account JWT lookup error: account missing").
    QByteArray unknownAccountUserCreds(const QString &name) const;

    // header.claims.signature: b64url without padding, signed by the issuer's seed.
    static QByteArray encodeJwt(const QByteArray &claimsJson, const NatsNKey &issuer);
    // The jwt library's "jti": SHA-512/256 of the compact JSON of aud,exp,iat,iss,name,nbf,sub (in that
    // order, empty ones left out), base32 without padding.
    static QByteArray claimsId(const QByteArray &standardClaimsJson);

private:
    NatsNKey m_operator;
    NatsNKey m_systemAccount;
    NatsNKey m_appAccount;
    QByteArray m_operatorJwt;
    QByteArray m_systemAccountJwt;
    QByteArray m_appAccountJwt;
};
