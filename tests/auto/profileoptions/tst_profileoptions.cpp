#include "connectionprofile.h"
#include "kvclientoptions.h"
#include "natsclicontext.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// A saved profile turns into the session's KvClientOptions, and a natscli context into a profile through
// KvClientOptions::fromCliContext, so the app connects where kvdesk-cli --context would.
class tst_ProfileOptions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profileFromCliContext();
    void clientOptions();
    void aCommaInACommandLinePassword();
};

void tst_ProfileOptions::profileFromCliContext()
{
    QTemporaryDir home;
    QVERIFY(QDir().mkpath(home.filePath(u"keys"_s)));
    QFile file(home.filePath(u"prod.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"url":"nats://a:4222,nats://b:4222","token":"s3cret","ca":"file:///etc/ca.pem",
                   "cert":"~/keys/c.pem","key":"~/keys/c.key","jetstream_domain":"hub"})");
    file.close();
    NatsCliContext context;
    QString problem;
    QVERIFY2(NatsCliContext::loadFile(file.fileName(), &context, &problem), qPrintable(problem));

    // The profile holds what the context holds, paths expanded as natscli expands them; the secret goes
    // to the keychain, not into the profile.
    QString secret;
    const ConnectionProfile profile = ConnectionProfile::fromCliContext(context, &secret);
    QCOMPARE(profile.id, u"natscli-prod"_s);
    QCOMPARE(profile.servers, u"nats://a:4222,nats://b:4222"_s);
    QCOMPARE(profile.authKind, ConnectionProfile::AuthKind::Token);
    QCOMPARE(secret, u"s3cret"_s);
    QCOMPARE(profile.tlsCaFile, u"/etc/ca.pem"_s);
    QCOMPARE(profile.tlsCertFile, QDir::homePath() + u"/keys/c.pem"_s);
    QCOMPARE(profile.jetStreamDomain, u"hub"_s);

    // And back: the session's client connects as the context would.
    const KvClientOptions fromProfile = profile.toClientOptions(secret);
    const KvClientOptions fromContext = KvClientOptions::fromCliContext(context);
    QCOMPARE(fromProfile.connection.servers, fromContext.connection.servers);
    QCOMPARE(fromProfile.connection.token, fromContext.connection.token);
    QCOMPARE(fromProfile.connection.tlsCertFile, fromContext.connection.tlsCertFile);
    QCOMPARE(fromProfile.jetStreamDomain, u"hub"_s);
    QCOMPARE(fromProfile.connection.name, u"kvdesk"_s);
}

void tst_ProfileOptions::clientOptions()
{
    ConnectionProfile profile;
    profile.servers = u"nats://h:4222"_s;
    profile.authKind = ConnectionProfile::AuthKind::UserPassword;
    profile.user = u"u"_s;
    profile.jetStreamDomain = u"leaf"_s;
    const KvClientOptions options = profile.toClientOptions(u"pw"_s);
    QCOMPARE(options.connection.servers.size(), 1);
    QCOMPARE(options.connection.user, u"u"_s);
    QCOMPARE(options.connection.password, u"pw"_s);
    QCOMPARE(options.connection.maxReconnectAttempts, -1); // a window keeps trying
    QCOMPARE(options.jetStreamDomain, u"leaf"_s);
    QVERIFY(options.jetStreamApiPrefix.isEmpty());
}

// kvdesk --server nats://alice:ab,cdSecret@host: the "," split it as a list, and the profile kept the
// first piece, "nats://alice:ab", as a server: the title, the connection choice and the status showed it,
// a saved profile would have stored it. The password leaves the URL whole, "," and all, as one with an "@"
// in it does, and is what the window connects with.
void tst_ProfileOptions::aCommaInACommandLinePassword()
{
    QString secret;
    const ConnectionProfile profile = ConnectionProfile::fromServerUrl(u"nats://alice:Pw1x,S3cr@127.0.0.1:4222"_s,
                                                                       &secret);
    for (const QString &shown : {profile.name, profile.servers})
        QVERIFY2(!shown.contains(u"Pw1x"_s) && !shown.contains(u"S3cr"_s), qPrintable(shown));
    QCOMPARE(profile.name, u"nats://alice:***@127.0.0.1:4222"_s);
    QCOMPARE(profile.servers, u"nats://127.0.0.1:4222"_s);
    QCOMPARE(profile.authKind, ConnectionProfile::AuthKind::UserPassword);
    QCOMPARE(profile.user, u"alice"_s);
    QCOMPARE(secret, u"Pw1x,S3cr"_s);
}

QTEST_GUILESS_MAIN(tst_ProfileOptions)
#include "tst_profileoptions.moc"
