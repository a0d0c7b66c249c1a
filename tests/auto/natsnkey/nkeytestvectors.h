#pragma once

#include <QtCore/QByteArray>

// Test vectors shared by tst_natsnkey, tst_natscredentials and tst_natsjwtissuer.
//
// Unless noted, the expected values were printed by the official Go nkeys package (Debian's
// golang-github-nats-io-nkeys-dev): nkeys.FromRawSeed(prefix, raw) with raw[i] = i*k + 7 (k = 1..5 for
// user, account, operator, server, cluster), then Seed(), PublicKey() and Sign(nonce).

namespace NKeyVectors {

using namespace Qt::StringLiterals;

inline const QByteArray kNonce = "PXoWU7zWAMt75FY"_ba;

inline const QByteArray kUserSeed = "SUAAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPSAIJCEMSCKJR2OM"_ba;
inline const QByteArray kUserPublic = "UAANAWQ5D2RFCOLNKV5PXVCYRM6G3GO35OLS73IQUMSWF2RG3TOPUNZ4"_ba;
inline const QByteArray kAccountPublic = "ADXZDLX42OF4KOBFEDZPEAPZEXHT3B5Y7BYDXHCBMEGRZASJZX2YF5X4"_ba;

// From nkeys' own creds_utils_test.go: the layout the jwt library's FormatUserConfig writes.
inline const QByteArray kCredsSeed = "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5LI"_ba;
inline const QByteArray kCredsPublic = "UDE6WTGLTTPCRJRJCKBJRGVNZTLIVR7LEEELR4CYWWWBKJS7XYIKXDUU"_ba;
inline const QByteArray kCredsJwt
    = "eyJ0eXAiOiJqd3QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJqdGkiOiJHVDROVU5NRUY3Wk1XQ1JCWFZWVURLUVQ2WllQWjc3VzRKUlFY"
      "RDNMMjRIS1VKRUNRSDdRIiwiaWF0IjoxNTkwNzgxNTkzLCJpc3MiOiJBQURXTFRISUNWNFNVQUdGNkVLTlZFVzVCQlA3WVJESUJHV0dHSFo1"
      "SkJET1FZQTdHVUZNNkFRVSIsIm5hbWUiOiJPUEVSQVRPUiIsInN1YiI6IlVERTZXVEdMVFRQQ1JKUkpDS0JKUkdWTlpUTElWUjdMRUVFTFI0"
      "Q1lXV1dCS0pTN1hZSUtYRFVVIiwibmF0cyI6eyJwdWIiOnt9LCJzdWIiOnt9LCJ0eXBlIjoidXNlciIsInZlcnNpb24iOjJ9fQ.c_XQT04w"
      "EoVVNDRjPHeKwe17BOrSpQTcftwIbB7KoNEIz6peZCJDc4-J3emVepHofUOWy7IAo9TlLwYhuGHWAQ"_ba;
inline const QByteArray kDecoratedCreds = "-----BEGIN NATS USER JWT-----\n"_ba + kCredsJwt
    + "\n------END NATS USER JWT------\n"
      "\n"
      "************************* IMPORTANT *************************\n"
      "NKEY Seed printed below can be used to sign and prove identity.\n"
      "NKEYs are sensitive and should be treated as secrets.\n"
      "\n"
      "-----BEGIN USER NKEY SEED-----\n"
      "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5LI\n"
      "------END USER NKEY SEED------\n"
      "\n"
      "*************************************************************\n"_ba;

// The header every NATS JWT carries: {"typ":"JWT","alg":"ed25519-nkey"}.
inline const QByteArray kJwtHeader = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ"_ba;

inline QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

inline QByteArray fromBase64Url(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace NKeyVectors
