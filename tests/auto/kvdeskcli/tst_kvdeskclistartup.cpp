#include "clirunner.h"
#include "natsnkey.h"
#include "natsserverprocess.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// What a kvdesk-cli process loads: a plain nats:// command neither libcrypto (only NKey signatures need
// it; binding its symbols cost every process 1.3 ms) nor Qt's TLS backend, and an NKey login still signs
// with it, loaded then. The dynamic loader lists what it loads (LD_DEBUG=files) on stderr.
class tst_KvdeskCliStartup final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void plainCommandLoadsNoCrypto();
    void nkeyLoginLoadsItWhenSigning();

private:
    CliRunner::Result runListingLoads(const QStringList &arguments) const;

    NatsServerProcess m_plain;
    NatsServerProcess m_nkey;
    NatsNKey m_user;
    QTemporaryDir m_dir;
    QString m_seedFile;
    CliRunner m_runner;
};

void tst_KvdeskCliStartup::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_plain.start(), qPrintable(m_plain.errorString()));
    m_runner.setEnvironment(u"LD_DEBUG"_s, u"files"_s); // kvdesk-cli's loader only, not this process's
    m_user = NatsNKey::create(NatsNKey::Type::User);
    QVERIFY(m_user.isValid());
    NatsServerProcess::Options options;
    options.config = "authorization { users: [ { nkey: " + m_user.publicKey() + " } ] }\n";
    QVERIFY2(m_nkey.start(options), qPrintable(m_nkey.errorString()));
    m_seedFile = m_dir.filePath(u"user.nk"_s);
    QFile seed(m_seedFile);
    QVERIFY(seed.open(QIODevice::WriteOnly));
    QVERIFY(seed.write(m_user.seed() + '\n') > 0);
}

CliRunner::Result tst_KvdeskCliStartup::runListingLoads(const QStringList &arguments) const
{
    return m_runner.run(arguments + QStringList{u"ls"_s, u"--names"_s});
}

void tst_KvdeskCliStartup::plainCommandLoadsNoCrypto()
{
    const CliRunner::Result result = runListingLoads({u"-s"_s, m_plain.url()});
    QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
    QVERIFY2(result.err.contains("libQt6Core.so"), "LD_DEBUG=files listed nothing: the check would see nothing");
    QVERIFY2(!result.err.contains("libcrypto.so"), "a plain nats:// command loaded libcrypto");
    QVERIFY2(!result.err.contains("libssl.so"), "a plain nats:// command loaded OpenSSL's TLS library");
}

void tst_KvdeskCliStartup::nkeyLoginLoadsItWhenSigning()
{
    const CliRunner::Result result = runListingLoads({u"-s"_s, m_nkey.url(), u"--nkey"_s, m_seedFile});
    QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
    QVERIFY2(result.err.contains("libcrypto.so"), "signed the server's nonce without libcrypto?");
}

QTEST_GUILESS_MAIN(tst_KvdeskCliStartup)
#include "tst_kvdeskclistartup.moc"
