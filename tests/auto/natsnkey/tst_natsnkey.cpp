#include "natsnkey.h"
#include "nkeytestvectors.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace NKeyVectors;

// NKEYs (Ed25519 seeds, public keys, signatures), their base32 and CRC16: the expected values are
// what the official Go nkeys package prints (nkeytestvectors.h).
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

QTEST_GUILESS_MAIN(tst_NatsNKey)
#include "tst_natsnkey.moc"
