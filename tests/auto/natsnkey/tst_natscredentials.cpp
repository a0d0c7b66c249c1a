#include "natscredentials.h"
#include "natsnkey.h"
#include "nkeytestvectors.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace NKeyVectors;

// .creds files (a user JWT and its NKEY seed): parsing, errors naming the problem, the layout the Go
// jwt library writes, loading from disk and wiping secrets.
class tst_NatsCredentials final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void credsParse_data();
    void credsParse();
    void credsParseErrors_data();
    void credsParseErrors();
    void credsFormatMatchesLibrary();
    void credsFormatRoundTrip_data();
    void credsFormatRoundTrip();
    void credsLoad();
    void credsClear();
};

void tst_NatsCredentials::credsParse_data()
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

void tst_NatsCredentials::credsParse()
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

void tst_NatsCredentials::credsParseErrors_data()
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

void tst_NatsCredentials::credsParseErrors()
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

void tst_NatsCredentials::credsFormatMatchesLibrary()
{
    QCOMPARE(NatsCredentials::format(kCredsJwt, kCredsSeed), kDecoratedCreds);
}

void tst_NatsCredentials::credsFormatRoundTrip_data()
{
    QTest::addColumn<QByteArray>("seed");

    QTest::newRow("user") << kUserSeed;
    QTest::newRow("account") << "SAAAOCILBUHRCEYVC4MRWHI7EERSKJZJFMWS6MJTGU3TSOZ5H5AUGRKAXM"_ba;
    QTest::newRow("operator") << "SOAAOCQNCAJRMGI4D4RCKKBLFYYTINZ2HVAEGRSJJRHVEVKYLNPGCZDA24"_ba;
    QTest::newRow("random user") << NatsNKey::create(NatsNKey::Type::User).seed();
}

void tst_NatsCredentials::credsFormatRoundTrip()
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

void tst_NatsCredentials::credsLoad()
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

void tst_NatsCredentials::credsClear()
{
    NatsCredentials creds;
    QVERIFY(NatsCredentials::parse(kDecoratedCreds, &creds, nullptr));
    creds.clear();
    QVERIFY(creds.jwt().isEmpty());
    QVERIFY(creds.seed().isEmpty());
}

QTEST_GUILESS_MAIN(tst_NatsCredentials)
#include "tst_natscredentials.moc"
