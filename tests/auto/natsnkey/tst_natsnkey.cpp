#include "natscredentials.h"
#include "natsjwtissuer.h"
#include "natsnkey.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Unless noted, the expected values were printed by the official Go nkeys package (Debian's
// golang-github-nats-io-nkeys-dev): nkeys.FromRawSeed(prefix, raw) with raw[i] = i*k + 7 (k = 1..5 for
// user, account, operator, server, cluster), then Seed(), PublicKey() and Sign(nonce).

namespace {
const QByteArray kNonce = "PXoWU7zWAMt75FY"_ba;

const QByteArray kUserSeed = "SUAAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPSAIJCEMSCKJR2OM"_ba;
const QByteArray kUserPublic = "UAANAWQ5D2RFCOLNKV5PXVCYRM6G3GO35OLS73IQUMSWF2RG3TOPUNZ4"_ba;
const QByteArray kAccountPublic = "ADXZDLX42OF4KOBFEDZPEAPZEXHT3B5Y7BYDXHCBMEGRZASJZX2YF5X4"_ba;

// From nkeys' own creds_utils_test.go: the layout the jwt library's FormatUserConfig writes.
const QByteArray kCredsSeed = "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5LI"_ba;
const QByteArray kCredsPublic = "UDE6WTGLTTPCRJRJCKBJRGVNZTLIVR7LEEELR4CYWWWBKJS7XYIKXDUU"_ba;
const QByteArray kCredsJwt
    = "eyJ0eXAiOiJqd3QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJqdGkiOiJHVDROVU5NRUY3Wk1XQ1JCWFZWVURLUVQ2WllQWjc3VzRKUlFY"
      "RDNMMjRIS1VKRUNRSDdRIiwiaWF0IjoxNTkwNzgxNTkzLCJpc3MiOiJBQURXTFRISUNWNFNVQUdGNkVLTlZFVzVCQlA3WVJESUJHV0dHSFo1"
      "SkJET1FZQTdHVUZNNkFRVSIsIm5hbWUiOiJPUEVSQVRPUiIsInN1YiI6IlVERTZXVEdMVFRQQ1JKUkpDS0JKUkdWTlpUTElWUjdMRUVFTFI0"
      "Q1lXV1dCS0pTN1hZSUtYRFVVIiwibmF0cyI6eyJwdWIiOnt9LCJzdWIiOnt9LCJ0eXBlIjoidXNlciIsInZlcnNpb24iOjJ9fQ.c_XQT04w"
      "EoVVNDRjPHeKwe17BOrSpQTcftwIbB7KoNEIz6peZCJDc4-J3emVepHofUOWy7IAo9TlLwYhuGHWAQ"_ba;
const QByteArray kDecoratedCreds = "-----BEGIN NATS USER JWT-----\n"_ba + kCredsJwt
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
const QByteArray kJwtHeader = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ"_ba;

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray fromBase64Url(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

struct DecodedJwt
{
    QByteArray header;
    QByteArray signingInput;
    QByteArray signature;
    QJsonObject claims;
};

DecodedJwt decodeJwt(const QByteArray &jwt)
{
    const QList<QByteArray> parts = jwt.split('.');
    if (parts.size() != 3)
        return {};
    DecodedJwt decoded;
    decoded.header = parts.at(0);
    decoded.signingInput = parts.at(0) + '.' + parts.at(1);
    decoded.signature = fromBase64Url(parts.at(2));
    decoded.claims = QJsonDocument::fromJson(fromBase64Url(parts.at(1))).object();
    return decoded;
}

// The standard claims the jwt library hashes into "jti", in its field order.
QByteArray standardClaims(const QJsonObject &claims)
{
    QByteArray json = "{"_ba;
    if (claims.contains("exp"_L1))
        json += "\"exp\":"_ba + QByteArray::number(claims.value("exp"_L1).toInteger()) + ","_ba;
    json += "\"iat\":"_ba + QByteArray::number(claims.value("iat"_L1).toInteger());
    for (const auto &key : {"iss"_L1, "name"_L1, "sub"_L1}) {
        if (claims.contains(key))
            json += ",\""_ba + key.latin1() + "\":\""_ba + claims.value(key).toString().toUtf8() + "\""_ba;
    }
    return json + "}"_ba;
}

QString natsServerProgram()
{
    const QString configured = qEnvironmentVariable("KVDESK_NATS_SERVER", u"nats-server"_s);
    if (QFile::exists(configured))
        return configured;
    return QStandardPaths::findExecutable(configured);
}
} // namespace

class tst_NatsNKey final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedToPublicKey_data();
    void seedToPublicKey();
    void signMatchesGo_data();
    void signMatchesGo();
    void verifyRejects_data();
    void verifyRejects();
    void createRandomKeys_data();
    void createRandomKeys();
    void copyKeepsKey();
    void badSeed_data();
    void badSeed();
    void base32KnownValues_data();
    void base32KnownValues();
    void base32RoundTrip();
    void base32DecodeRejects_data();
    void base32DecodeRejects();
    void crc16KnownValues_data();
    void crc16KnownValues();

    void credsParse_data();
    void credsParse();
    void credsParseErrors_data();
    void credsParseErrors();
    void credsFormatMatchesLibrary();
    void credsFormatRoundTrip_data();
    void credsFormatRoundTrip();
    void credsLoad();
    void credsClear();

    void issuerClaimsIdMatchesLibrary();
    void issuerJwtsVerify();
    void issuerUserCreds();
    void issuerUnknownAccountUser();
    void issuerServerConfigAccepted();
};

void tst_NatsNKey::seedToPublicKey_data()
{
    QTest::addColumn<QByteArray>("seed");
    QTest::addColumn<QByteArray>("publicKey");
    QTest::addColumn<NatsNKey::Type>("type");
    QTest::addColumn<QByteArray>("canonicalSeed");

    QTest::newRow("user") << kUserSeed << kUserPublic << NatsNKey::Type::User << kUserSeed;
    QTest::newRow("account") << "SAAAOCILBUHRCEYVC4MRWHI7EERSKJZJFMWS6MJTGU3TSOZ5H5AUGRKAXM"_ba << kAccountPublic
                             << NatsNKey::Type::Account
                             << "SAAAOCILBUHRCEYVC4MRWHI7EERSKJZJFMWS6MJTGU3TSOZ5H5AUGRKAXM"_ba;
    QTest::newRow("operator") << "SOAAOCQNCAJRMGI4D4RCKKBLFYYTINZ2HVAEGRSJJRHVEVKYLNPGCZDA24"_ba
                              << "OAAWBPNKT5P47R6YTCT3ISOD63RIEBWLPP7WSWSA5G4CNGBUG5BRYZFS"_ba
                              << NatsNKey::Type::Operator
                              << "SOAAOCQNCAJRMGI4D4RCKKBLFYYTINZ2HVAEGRSJJRHVEVKYLNPGCZDA24"_ba;
    QTest::newRow("server") << "SNAAOCYPCMLRWHZDE4VS6MZXHM7UGR2LJ5JVOW27MNTWW33TO55X7AYJ7E"_ba
                            << "NC5TTEILJEFQDJ3J5AJL4MXYOWJQ2JDEHMYC5S2HJESPU4BYKCYMA6HZ"_ba << NatsNKey::Type::Server
                            << "SNAAOCYPCMLRWHZDE4VS6MZXHM7UGR2LJ5JVOW27MNTWW33TO55X7AYJ7E"_ba;
    QTest::newRow("cluster") << "SCAAODARCYNSAJJKF42DSPSDJBGVEV24MFTGW4DVPJ7YJCMOSOMJ3IRTSA"_ba
                             << "CCENI5EOCMHKROJ6KNGLAFH5IYCBQQY63NMCFS4KRR7JHLG7MUFXNVZS"_ba << NatsNKey::Type::Cluster
                             << "SCAAODARCYNSAJJKF42DSPSDJBGVEV24MFTGW4DVPJ7YJCMOSOMJ3IRTSA"_ba;
    QTest::newRow("nkeys creds fixture") << kCredsSeed << kCredsPublic << NatsNKey::Type::User << kCredsSeed;
    QTest::newRow("surrounding whitespace")
        << "  "_ba + kUserSeed + "\r\n"_ba << kUserPublic << NatsNKey::Type::User << kUserSeed;
    // The last of 58 characters carries 2 unused bits; Go ignores them and accepted this variant.
    QTest::newRow("unused trailing bits set") << "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5LJ"_ba
                                              << kCredsPublic << NatsNKey::Type::User << kCredsSeed;
}

void tst_NatsNKey::seedToPublicKey()
{
    QFETCH(QByteArray, seed);
    QFETCH(QByteArray, publicKey);
    QFETCH(NatsNKey::Type, type);
    QFETCH(QByteArray, canonicalSeed);

    QString error;
    const NatsNKey key = NatsNKey::fromSeed(seed, &error);
    QVERIFY2(key.isValid(), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(key.type(), type);
    QCOMPARE(key.publicKey(), publicKey);
    QCOMPARE(key.publicKey().size(), 56);
    QCOMPARE(key.seed(), canonicalSeed);
}

void tst_NatsNKey::signMatchesGo_data()
{
    QTest::addColumn<QByteArray>("seed");
    QTest::addColumn<QByteArray>("signature"); // b64url, as sent in CONNECT "sig"

    // Ed25519 is deterministic, so the signatures must equal Go's byte for byte.
    QTest::newRow("user")
        << kUserSeed << "Xddihre_AKL6j6g9rxGZqB9riMPsjgoCcwEv3LDBONS3BBizm1HhVpBDlnxDF83lAYLYxPVd6xsadveEjmQhDw"_ba;
    QTest::newRow("account")
        << "SAAAOCILBUHRCEYVC4MRWHI7EERSKJZJFMWS6MJTGU3TSOZ5H5AUGRKAXM"_ba
        << "In_S-VyqO0-ZvymJ0VqKI7kRxzynhq0jBpYhIW6LBJ5KozZfse9gNT8zc5i4y90_LQkpq7Ql9bif76aDyZtWDw"_ba;
    QTest::newRow("operator")
        << "SOAAOCQNCAJRMGI4D4RCKKBLFYYTINZ2HVAEGRSJJRHVEVKYLNPGCZDA24"_ba
        << "ZLvDayWJR94d6LX92KtLAGUpWKpHLm54Ft4kOHDS7G1MIZQx3NxHSUD0xzQ9yD47lXAAwUWwGjYf-Ffk76nICQ"_ba;
    QTest::newRow("server")
        << "SNAAOCYPCMLRWHZDE4VS6MZXHM7UGR2LJ5JVOW27MNTWW33TO55X7AYJ7E"_ba
        << "YjdBq1WzdULoqCL3WQdhXCvJ6CgJ3DsqD2w0n5UdyuZv6R_elgXLhu0EaRhn-A-7uOSHB-3pcXEWNne1DyklAQ"_ba;
    QTest::newRow("cluster")
        << "SCAAODARCYNSAJJKF42DSPSDJBGVEV24MFTGW4DVPJ7YJCMOSOMJ3IRTSA"_ba
        << "CgrqKhL7xFSxME226bA6t6Zd0ognoW9nu7P_8-_TZoYnB0aGw5OJT4_q4yY21i3OLydUG8OlfaRm-mHQtLX1Cg"_ba;
}

void tst_NatsNKey::signMatchesGo()
{
    QFETCH(QByteArray, seed);
    QFETCH(QByteArray, signature);

    const NatsNKey key = NatsNKey::fromSeed(seed);
    QVERIFY(key.isValid());
    const QByteArray raw = key.sign(kNonce);
    QCOMPARE(raw.size(), 64);
    QCOMPARE(base64Url(raw), signature);
    QCOMPARE(base64Url(raw).size(), 86);
    QVERIFY(NatsNKey::verify(key.publicKey(), kNonce, raw));
}

void tst_NatsNKey::verifyRejects_data()
{
    QTest::addColumn<QByteArray>("publicKey");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("signature");

    const QByteArray good = fromBase64Url(
        "Xddihre_AKL6j6g9rxGZqB9riMPsjgoCcwEv3LDBONS3BBizm1HhVpBDlnxDF83lAYLYxPVd6xsadveEjmQhDw"_ba);
    QByteArray flipped = good;
    flipped[10] = static_cast<char>(flipped.at(10) ^ 0x01);
    QByteArray badChecksum = kUserPublic;
    badChecksum[20] = badChecksum.at(20) == 'A' ? 'B' : 'A';

    QTest::newRow("other data") << kUserPublic << "PXoWU7zWAMt75FZ"_ba << good;
    QTest::newRow("altered signature") << kUserPublic << kNonce << flipped;
    QTest::newRow("short signature") << kUserPublic << kNonce << good.left(63);
    QTest::newRow("empty signature") << kUserPublic << kNonce << QByteArray();
    QTest::newRow("other key") << kAccountPublic << kNonce << good;
    QTest::newRow("public key checksum") << badChecksum << kNonce << good;
    QTest::newRow("seed as public key") << kUserSeed << kNonce << good;
    QTest::newRow("empty public key") << QByteArray() << kNonce << good;
}

void tst_NatsNKey::verifyRejects()
{
    QFETCH(QByteArray, publicKey);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, signature);

    QVERIFY(!NatsNKey::verify(publicKey, data, signature));
}

void tst_NatsNKey::createRandomKeys_data()
{
    QTest::addColumn<NatsNKey::Type>("type");
    QTest::addColumn<QByteArray>("seedPrefix");
    QTest::addColumn<char>("publicPrefix");

    QTest::newRow("user") << NatsNKey::Type::User << "SU"_ba << 'U';
    QTest::newRow("account") << NatsNKey::Type::Account << "SA"_ba << 'A';
    QTest::newRow("operator") << NatsNKey::Type::Operator << "SO"_ba << 'O';
    QTest::newRow("server") << NatsNKey::Type::Server << "SN"_ba << 'N';
    QTest::newRow("cluster") << NatsNKey::Type::Cluster << "SC"_ba << 'C';
}

void tst_NatsNKey::createRandomKeys()
{
    QFETCH(NatsNKey::Type, type);
    QFETCH(QByteArray, seedPrefix);
    QFETCH(char, publicPrefix);

    const NatsNKey key = NatsNKey::create(type);
    QVERIFY(key.isValid());
    QCOMPARE(key.type(), type);
    QVERIFY(key.seed().startsWith(seedPrefix));
    QCOMPARE(key.seed().size(), 58);
    QCOMPARE(key.publicKey().at(0), publicPrefix);

    const NatsNKey decoded = NatsNKey::fromSeed(key.seed());
    QCOMPARE(decoded.publicKey(), key.publicKey());
    QVERIFY(NatsNKey::verify(key.publicKey(), kNonce, decoded.sign(kNonce)));

    QVERIFY(NatsNKey::create(type).publicKey() != key.publicKey());
}

void tst_NatsNKey::copyKeepsKey()
{
    NatsNKey copy;
    QVERIFY(!copy.isValid());
    QVERIFY(copy.seed().isEmpty());
    QVERIFY(copy.publicKey().isEmpty());
    QVERIFY(copy.sign(kNonce).isEmpty());
    QVERIFY(!NatsNKey::create(NatsNKey::Type::Invalid).isValid());
    {
        const NatsNKey original = NatsNKey::fromSeed(kUserSeed);
        const NatsNKey constructed(original); // NOLINT(performance-unnecessary-copy-initialization)
        copy = original;
        QCOMPARE(constructed.seed(), kUserSeed);
    }
    // The original's destructor wiped its own buffer only.
    QCOMPARE(copy.seed(), kUserSeed);
    QCOMPARE(copy.publicKey(), kUserPublic);
    copy = NatsNKey();
    QVERIFY(!copy.isValid());
}

void tst_NatsNKey::badSeed_data()
{
    QTest::addColumn<QByteArray>("seed");
    QTest::addColumn<QString>("expectedError"); // a fragment of the message

    // Go nkeys' verdicts are noted per row.
    QTest::newRow("empty") << QByteArray() << u"empty"_s; // invalid encoded key
    QTest::newRow("whitespace only") << " \r\n"_ba << u"empty"_s;
    QTest::newRow("two letters") << "SU"_ba << u"has 2 characters instead of 58"_s; // invalid encoded key
    QTest::newRow("truncated") << "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBK"_ba
                               << u"has 54 characters instead of 58"_s; // invalid checksum
    QTest::newRow("one character short") << "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5L"_ba
                                         << u"has 57 characters instead of 58"_s; // invalid checksum
    QTest::newRow("wrong checksum") << "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5MI"_ba
                                    << u"checksum does not match"_s; // invalid checksum
    QTest::newRow("mistyped middle") << "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAKBKH5LI"_ba
                                     << u"checksum does not match"_s; // invalid checksum
    QTest::newRow("bad base32 char") << "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5L1"_ba
                                     << u"contains '1' at position 58"_s; // illegal base32 data at input byte 57
    QTest::newRow("digit 8") << "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5L8"_ba
                             << u"contains '8' at position 58"_s; // illegal base32 data at input byte 57
    QTest::newRow("lower case") << kCredsSeed.toLower() << u"contains 's' at position 1"_s; // illegal base32 data
    QTest::newRow("user public key") << kUserPublic << u"public key, not a seed"_s;         // invalid seed
    QTest::newRow("account public key") << kAccountPublic << u"public key, not a seed"_s;
}

void tst_NatsNKey::badSeed()
{
    QFETCH(QByteArray, seed);
    QFETCH(QString, expectedError);

    QString error;
    const NatsNKey key = NatsNKey::fromSeed(seed, &error);
    QVERIFY(!key.isValid());
    QCOMPARE(key.type(), NatsNKey::Type::Invalid);
    QVERIFY2(error.contains(expectedError), qPrintable(error));
    QVERIFY2(error.contains(u"seed"_s), qPrintable(error));
    QVERIFY(key.publicKey().isEmpty());
    QVERIFY(key.sign(kNonce).isEmpty());
    QVERIFY(!NatsNKey::fromSeed(seed).isValid()); // no message pointer is fine too
}

void tst_NatsNKey::base32KnownValues_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("encoded");

    // RFC 4648 §10 without padding, as printed by Go's base32.StdEncoding.WithPadding(NoPadding).
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("f") << "f"_ba
                       << "MY"_ba;
    QTest::newRow("fo") << "fo"_ba
                        << "MZXQ"_ba;
    QTest::newRow("foo") << "foo"_ba
                         << "MZXW6"_ba;
    QTest::newRow("foob") << "foob"_ba
                          << "MZXW6YQ"_ba;
    QTest::newRow("fooba") << "fooba"_ba
                           << "MZXW6YTB"_ba;
    QTest::newRow("foobar") << "foobar"_ba
                            << "MZXW6YTBOI"_ba;
    QTest::newRow("binary") << QByteArray::fromHex("00ff1080") << "AD7RBAA"_ba;
}

void tst_NatsNKey::base32KnownValues()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, encoded);

    QCOMPARE(NatsNKey::base32Encode(data), encoded);
    bool ok = false;
    QCOMPARE(NatsNKey::base32Decode(encoded, &ok), data);
    QVERIFY(ok);
}

void tst_NatsNKey::base32RoundTrip()
{
    QByteArray data;
    for (int length = 0; length <= 70; ++length) {
        const QByteArray encoded = NatsNKey::base32Encode(data);
        QCOMPARE(encoded.size(), (length * 8 + 4) / 5);
        bool ok = false;
        QCOMPARE(NatsNKey::base32Decode(encoded, &ok), data);
        QVERIFY(ok);
        data.append(static_cast<char>(length * 37 + 11));
    }
    bool ok = false;
    QCOMPARE(NatsNKey::base32Decode("MZXW6==="_ba, &ok), "foo"_ba); // padding is tolerated
    QVERIFY(ok);
}

void tst_NatsNKey::base32DecodeRejects_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("lower case") << "mzxw6"_ba;
    QTest::newRow("digit 1") << "MZXW1"_ba;
    QTest::newRow("digit 8") << "MZXW8"_ba;
    QTest::newRow("space") << "MZ XW6"_ba;
    QTest::newRow("1 char left over") << "MZXW6YTBO"_ba;
    QTest::newRow("3 chars left over") << "MZX"_ba;
    QTest::newRow("6 chars left over") << "MZXW6Y"_ba;
}

void tst_NatsNKey::base32DecodeRejects()
{
    QFETCH(QByteArray, text);

    bool ok = true;
    QVERIFY(NatsNKey::base32Decode(text, &ok).isEmpty());
    QVERIFY(!ok);
}

void tst_NatsNKey::crc16KnownValues_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("crc");

    QTest::newRow("empty") << QByteArray() << 0;
    QTest::newRow("check value") << "123456789"_ba << 0x31C3; // the catalogued CRC-16/XMODEM check
    // [prefix][32-byte public key] and the CRC stored after it (little-endian) in Go's public keys.
    QTest::newRow("user key") << QByteArray::fromHex(
        "a000d05a1d1ea251396d557afbd4588b3c6d99dbeb972fed10a32562ea26dcdcfa")
                              << 0x3c37;
    QTest::newRow("account key") << QByteArray::fromHex(
        "00ef91aefcd38bc5382520f2f201f925cf3d87b8f8703b9c41610d1c8249cdf582")
                                 << 0xfcf6;
    QTest::newRow("operator key") << QByteArray::fromHex(
        "700160bdaa9f5fcfc7d898a7b449c3f6e28206cb7bff695a40e9b826983437431c")
                                  << 0xb264;
    QTest::newRow("server key") << QByteArray::fromHex(
        "68bb39910b490b01a769e812be32f875930d24643b302ecb474924fa703850b0c0")
                                << 0xf978;
    QTest::newRow("cluster key") << QByteArray::fromHex(
        "1088d4748e130ea8b93e534cb014fd460418431edb5822cb8a8c7e93acdf650b76")
                                 << 0x32d7;
}

void tst_NatsNKey::crc16KnownValues()
{
    QFETCH(QByteArray, data);
    QFETCH(int, crc);

    QCOMPARE(static_cast<int>(NatsNKey::crc16(data)), crc);
}

void tst_NatsNKey::credsParse_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("jwt");
    QTest::addColumn<QByteArray>("seed");

    QByteArray crlf = kDecoratedCreds;
    crlf.replace("\n", "\r\n");
    const QByteArray jwtOnly = "-----BEGIN NATS USER JWT-----\n"_ba + kCredsJwt
        + "\n------END NATS USER JWT------\n"_ba;

    QTest::newRow("nkeys fixture, LF") << kDecoratedCreds << kCredsJwt << kCredsSeed;
    QTest::newRow("nkeys fixture, CRLF") << crlf << kCredsJwt << kCredsSeed;
    QTest::newRow("no final newline") << kDecoratedCreds.chopped(1) << kCredsJwt << kCredsSeed;
    QTest::newRow("leading blank lines") << "\n\n  \n"_ba + kDecoratedCreds << kCredsJwt << kCredsSeed;
    QTest::newRow("bare JWT, seed line") << kCredsJwt + "\n"_ba + kCredsSeed + "\n"_ba << kCredsJwt << kCredsSeed;
    QTest::newRow("bare JWT, indented seed, CRLF")
        << kCredsJwt + "\r\n   "_ba + kCredsSeed + "\r\n"_ba << kCredsJwt << kCredsSeed;
    QTest::newRow("seed line first") << kCredsSeed + "\n\n"_ba + kCredsJwt << kCredsJwt << kCredsSeed;
    QTest::newRow("JWT block, loose seed") << jwtOnly + "\n"_ba + kCredsSeed + "\n"_ba << kCredsJwt << kCredsSeed;
    QTest::newRow("account seed") << NatsCredentials::format(
        kCredsJwt, "SAAAOCILBUHRCEYVC4MRWHI7EERSKJZJFMWS6MJTGU3TSOZ5H5AUGRKAXM"_ba)
                                  << kCredsJwt << "SAAAOCILBUHRCEYVC4MRWHI7EERSKJZJFMWS6MJTGU3TSOZ5H5AUGRKAXM"_ba;
}

void tst_NatsNKey::credsParse()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, jwt);
    QFETCH(QByteArray, seed);

    NatsCredentials creds;
    QString error;
    QVERIFY2(NatsCredentials::parse(content, &creds, &error), qPrintable(error));
    QCOMPARE(creds.jwt(), jwt);
    QCOMPARE(creds.seed(), seed);
}

void tst_NatsNKey::credsParseErrors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expectedError");

    const QByteArray jwtOnly = "-----BEGIN NATS USER JWT-----\n"_ba + kCredsJwt
        + "\n------END NATS USER JWT------\n"_ba;
    QByteArray badChecksum = kDecoratedCreds;
    badChecksum.replace(kCredsSeed, "SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAKBKH5LI"_ba);
    QByteArray publicInBlock = kDecoratedCreds;
    publicInBlock.replace(kCredsSeed, kCredsPublic);

    QTest::newRow("empty") << QByteArray() << u"no user JWT"_s;
    QTest::newRow("seed only") << kCredsSeed + "\n"_ba << u"no user JWT"_s;
    QTest::newRow("JWT block only") << jwtOnly << u"no NKEY seed"_s;
    QTest::newRow("bare JWT only") << kCredsJwt << u"no NKEY seed"_s;
    QTest::newRow("not a JWT") << "hello\n"_ba + kCredsSeed << u"malformed"_s;
    QTest::newRow("seed checksum") << badChecksum << u"checksum does not match"_s;
    QTest::newRow("public key in seed block") << publicInBlock << u"holds no seed"_s;
}

void tst_NatsNKey::credsParseErrors()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expectedError);

    NatsCredentials creds;
    QString error;
    QVERIFY(!NatsCredentials::parse(content, &creds, &error));
    QVERIFY2(error.contains(expectedError), qPrintable(error));
    QVERIFY(creds.jwt().isEmpty());
    QVERIFY(creds.seed().isEmpty());
}

void tst_NatsNKey::credsFormatMatchesLibrary()
{
    QCOMPARE(NatsCredentials::format(kCredsJwt, kCredsSeed), kDecoratedCreds);
}

void tst_NatsNKey::credsFormatRoundTrip_data()
{
    QTest::addColumn<QByteArray>("seed");

    QTest::newRow("user") << kUserSeed;
    QTest::newRow("account") << "SAAAOCILBUHRCEYVC4MRWHI7EERSKJZJFMWS6MJTGU3TSOZ5H5AUGRKAXM"_ba;
    QTest::newRow("operator") << "SOAAOCQNCAJRMGI4D4RCKKBLFYYTINZ2HVAEGRSJJRHVEVKYLNPGCZDA24"_ba;
    QTest::newRow("random user") << NatsNKey::create(NatsNKey::Type::User).seed();
}

void tst_NatsNKey::credsFormatRoundTrip()
{
    QFETCH(QByteArray, seed);

    const QByteArray content = NatsCredentials::format(kCredsJwt, seed);
    QVERIFY(content.endsWith("*************************************************************\n"_ba));
    NatsCredentials creds;
    QString error;
    QVERIFY2(NatsCredentials::parse(content, &creds, &error), qPrintable(error));
    QCOMPARE(creds.jwt(), kCredsJwt);
    QCOMPARE(creds.seed(), seed);
}

void tst_NatsNKey::credsLoad()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"user.creds"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kDecoratedCreds);
    file.close();

    NatsCredentials creds;
    QString error;
    QVERIFY2(NatsCredentials::load(path, &creds, &error), qPrintable(error));
    QCOMPARE(creds.jwt(), kCredsJwt);
    QCOMPARE(NatsNKey::fromSeed(creds.seed()).publicKey(), kCredsPublic);

    const QString missing = dir.filePath(u"missing.creds"_s);
    QVERIFY(!NatsCredentials::load(missing, &creds, &error));
    QVERIFY2(error.contains(missing), qPrintable(error));

    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(kCredsJwt);
    file.close();
    QVERIFY(!NatsCredentials::load(path, &creds, &error));
    QVERIFY2(error.contains(path) && error.contains(u"no NKEY seed"_s), qPrintable(error));
}

void tst_NatsNKey::credsClear()
{
    NatsCredentials creds;
    QVERIFY(NatsCredentials::parse(kDecoratedCreds, &creds, nullptr));
    creds.clear();
    QVERIFY(creds.jwt().isEmpty());
    QVERIFY(creds.seed().isEmpty());
}

void tst_NatsNKey::issuerClaimsIdMatchesLibrary()
{
    // The jti of the nkeys creds fixture, which the jwt library computed.
    const QByteArray claims
        = R"({"iat":1590781593,"iss":"AADWLTHICV4SUAGF6EKNVEW5BBP7YRDIBGWGGHZ5JBDOQYA7GUFM6AQU",)"
          R"("name":"OPERATOR","sub":"UDE6WTGLTTPCRJRJCKBJRGVNZTLIVR7LEEELR4CYWWWBKJS7XYIKXDUU"})"_ba;
    QCOMPARE(NatsJwtIssuer::claimsId(claims), "GT4NUNMEF7ZMWCRBXVVUDKQT6ZYPZ77W4JRQXD3L24HKUJECQH7Q"_ba);
}

void tst_NatsNKey::issuerJwtsVerify()
{
    const NatsJwtIssuer issuer;
    const QByteArray op = issuer.operatorPublicKey();
    const QByteArray sys = issuer.systemAccountPublicKey();
    const QByteArray app = issuer.appAccountPublicKey();
    QVERIFY(op.startsWith('O'));
    QVERIFY(sys.startsWith('A'));
    QVERIFY(app.startsWith('A'));
    QVERIFY(sys != app);

    struct Expected
    {
        QByteArray jwt;
        QByteArray issuerKey;
        QByteArray subject;
        QString type;
    };
    const QList<Expected> chain = {
        {issuer.operatorJwt(), op, op, u"operator"_s},
        {issuer.systemAccountJwt(), op, sys, u"account"_s},
        {issuer.appAccountJwt(), op, app, u"account"_s},
    };
    for (const Expected &expected : chain) {
        const DecodedJwt jwt = decodeJwt(expected.jwt);
        QCOMPARE(jwt.header, kJwtHeader);
        QVERIFY(!expected.jwt.contains('='));
        QVERIFY(NatsNKey::verify(expected.issuerKey, jwt.signingInput, jwt.signature));
        QVERIFY(!NatsNKey::verify(app == expected.issuerKey ? sys : app, jwt.signingInput, jwt.signature));
        QCOMPARE(jwt.claims.value("iss"_L1).toString().toLatin1(), expected.issuerKey);
        QCOMPARE(jwt.claims.value("sub"_L1).toString().toLatin1(), expected.subject);
        QCOMPARE(jwt.claims.value("jti"_L1).toString().toLatin1(), NatsJwtIssuer::claimsId(standardClaims(jwt.claims)));
        const QJsonObject nats = jwt.claims.value("nats"_L1).toObject();
        QCOMPARE(nats.value("type"_L1).toString(), expected.type);
        QCOMPARE(nats.value("version"_L1).toInt(), 2);
    }

    const QJsonObject opNats = decodeJwt(issuer.operatorJwt()).claims.value("nats"_L1).toObject();
    QCOMPARE(opNats.value("system_account"_L1).toString().toLatin1(), sys);

    // A missing limit counts as 0 (no connections), so every one is -1; JetStream only for APP.
    const QJsonObject appLimits
        = decodeJwt(issuer.appAccountJwt()).claims.value("nats"_L1).toObject().value("limits"_L1).toObject();
    for (const auto &key : {"subs"_L1, "data"_L1, "payload"_L1, "imports"_L1, "exports"_L1, "conn"_L1, "leaf"_L1,
                            "mem_storage"_L1, "disk_storage"_L1, "streams"_L1, "consumer"_L1}) {
        QVERIFY2(appLimits.value(key).toInteger() == -1, key.data());
    }
    QCOMPARE(appLimits.value("wildcards"_L1).toBool(), true);
    const QJsonObject sysLimits
        = decodeJwt(issuer.systemAccountJwt()).claims.value("nats"_L1).toObject().value("limits"_L1).toObject();
    QCOMPARE(sysLimits.value("conn"_L1).toInteger(), -1);
    QVERIFY(!sysLimits.contains("disk_storage"_L1));
}

void tst_NatsNKey::issuerUserCreds()
{
    const NatsJwtIssuer issuer;
    NatsCredentials creds;
    QString error;
    QVERIFY2(NatsCredentials::parse(issuer.userCreds(u"alice"_s), &creds, &error), qPrintable(error));

    const NatsNKey user = NatsNKey::fromSeed(creds.seed(), &error);
    QVERIFY2(user.isValid(), qPrintable(error));
    QCOMPARE(user.type(), NatsNKey::Type::User);

    const DecodedJwt jwt = decodeJwt(creds.jwt());
    QCOMPARE(jwt.header, kJwtHeader);
    QVERIFY(NatsNKey::verify(issuer.appAccountPublicKey(), jwt.signingInput, jwt.signature));
    QCOMPARE(jwt.claims.value("iss"_L1).toString().toLatin1(), issuer.appAccountPublicKey());
    QCOMPARE(jwt.claims.value("sub"_L1).toString().toLatin1(), user.publicKey());
    QCOMPARE(jwt.claims.value("name"_L1).toString(), u"alice"_s);
    QVERIFY(!jwt.claims.contains("exp"_L1));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QVERIFY(qAbs(jwt.claims.value("iat"_L1).toInteger() - now) < 60);
    const QJsonObject nats = jwt.claims.value("nats"_L1).toObject();
    QCOMPARE(nats.value("type"_L1).toString(), u"user"_s);
    QCOMPARE(nats.value("version"_L1).toInt(), 2);
    // 0 would mean no subscriptions and no payload at all.
    QCOMPARE(nats.value("subs"_L1).toInteger(), -1);
    QCOMPARE(nats.value("payload"_L1).toInteger(), -1);

    // Login: the server checks the nonce signature against the JWT's subject.
    QVERIFY(NatsNKey::verify(jwt.claims.value("sub"_L1).toString().toLatin1(), kNonce, user.sign(kNonce)));

    // Expiry goes into "exp" and the jti covers it.
    QVERIFY(NatsCredentials::parse(issuer.userCreds(u"bob"_s, now + 3), &creds, &error));
    const DecodedJwt expiring = decodeJwt(creds.jwt());
    QCOMPARE(expiring.claims.value("exp"_L1).toInteger(), now + 3);
    QCOMPARE(expiring.claims.value("jti"_L1).toString().toLatin1(),
             NatsJwtIssuer::claimsId(standardClaims(expiring.claims)));

    // A user with a key of the caller's choosing.
    const NatsNKey chosen = NatsNKey::fromSeed(kUserSeed);
    const DecodedJwt chosenJwt = decodeJwt(issuer.userJwt(chosen, u"carol"_s));
    QCOMPARE(chosenJwt.claims.value("sub"_L1).toString().toLatin1(), kUserPublic);
    QVERIFY(NatsNKey::verify(issuer.appAccountPublicKey(), chosenJwt.signingInput, chosenJwt.signature));
}

void tst_NatsNKey::issuerUnknownAccountUser()
{
    const NatsJwtIssuer issuer;
    NatsCredentials creds;
    QString error;
    QVERIFY2(NatsCredentials::parse(issuer.unknownAccountUserCreds(u"mallory"_s), &creds, &error), qPrintable(error));
    const DecodedJwt jwt = decodeJwt(creds.jwt());
    const QByteArray stranger = jwt.claims.value("iss"_L1).toString().toLatin1();
    QVERIFY(stranger.startsWith('A'));
    QVERIFY(stranger != issuer.appAccountPublicKey());
    QVERIFY(stranger != issuer.systemAccountPublicKey());
    // Well signed, by a key the operator never vouched for.
    QVERIFY(NatsNKey::verify(stranger, jwt.signingInput, jwt.signature));
    QVERIFY(!NatsNKey::verify(issuer.appAccountPublicKey(), jwt.signingInput, jwt.signature));
    QCOMPARE(NatsNKey::fromSeed(creds.seed()).publicKey(), jwt.claims.value("sub"_L1).toString().toLatin1());
}

void tst_NatsNKey::issuerServerConfigAccepted()
{
    const NatsJwtIssuer issuer;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray config = issuer.serverConfig(dir.filePath(u"js"_s));
    QVERIFY(!config.contains("listen"));
    QVERIFY(!config.contains("port"));
    QVERIFY(config.contains("resolver: MEMORY"));
    const QByteArray sysPreload = issuer.systemAccountPublicKey() + ": \""_ba + issuer.systemAccountJwt() + "\""_ba;
    const QByteArray appPreload = issuer.appAccountPublicKey() + ": \""_ba + issuer.appAccountJwt() + "\""_ba;
    QVERIFY(config.contains(sysPreload));
    QVERIFY(config.contains(appPreload));

    const QString path = dir.filePath(u"server.conf"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("listen: 127.0.0.1:-1\n"_ba + config);
    file.close();

    // Real-server checks belong to the integration tests; here nats-server only parses the file (-t).
    const QString program = natsServerProgram();
    if (program.isEmpty())
        QFAIL("nats-server not found (set KVDESK_NATS_SERVER or install it)");
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(program, {u"-t"_s, u"-c"_s, path});
    QVERIFY2(server.waitForFinished(30000), qPrintable(server.errorString()));
    const QByteArray output = server.readAll();
    QVERIFY2(server.exitStatus() == QProcess::NormalExit && server.exitCode() == 0, output.constData());
    QVERIFY2(output.contains("is valid"), output.constData());
}

QTEST_GUILESS_MAIN(tst_NatsNKey)
#include "tst_natsnkey.moc"
