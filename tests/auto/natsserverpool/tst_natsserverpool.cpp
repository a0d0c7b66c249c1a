#include "natsconnectoptions.h"
#include "natsserverpool.h"

#include <QtTest/QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

// Reconnect pacing and pool membership, without sockets: the test plays the connection's part
// (advance, attemptStarted, attemptFailed/attemptSucceeded).

namespace {

// Delays are computed against the time since the last attempt, which the test cannot set: allow this
// much to have passed on a loaded machine.
constexpr qint64 kSlackMs = 500;

QUrl url(const QString &text)
{
    return QUrl(text);
}

NatsConnectOptions pacing(int waitMs, int jitterMs = 0, int jitterTlsMs = 0)
{
    NatsConnectOptions options;
    options.reconnectWaitMs = waitMs;
    options.reconnectJitterMs = jitterMs;
    options.reconnectJitterTlsMs = jitterTlsMs;
    return options;
}

NatsServerPool::Server triedServer(const QString &address, int failedAttempts)
{
    NatsServerPool::Server server;
    server.url = url(address);
    server.failedAttempts = failedAttempts;
    server.lastAttempt.start();
    return server;
}

const NatsError kRefused(NatsError::ConnectionRefused, u"refused"_s);
const NatsError kAuthViolation(NatsError::AuthorizationViolation, u"Authorization Violation"_s);
const NatsError kAuthExpired(NatsError::AuthenticationExpired, u"User Authentication Expired"_s);

} // namespace

class tst_NatsServerPool final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serversFromOptions_data();
    void serversFromOptions();
    void randomizedServers();
    void unparsableServers();
    void aBareNumberIsNoHost();
    void aPortOutOfRangeIsNamed();
    void passwordsInUrlsAreNeverShown_data();
    void passwordsInUrlsAreNeverShown();
    void aCommaInAPasswordIsNeverShown_data();
    void aCommaInAPasswordIsNeverShown();
    void anEncodedCommaInAPasswordWorks();
    void startsWithoutCurrentServer();
    void roundRobin();
    void untriedServerWaitsNothing();
    void backoff_data();
    void backoff();
    void jitterFollowsTls();
    void waitsOnlyTheRestOfTheWait();
    void dropAfterMaxAttempts();
    void retryForever();
    void sameAuthErrorTwice();
    void successForgetsFailures();
    void removeCurrent();
    void implicitServers();
    void learnedServersGoWhenTheClusterNoLongerListsThem();
    void tlsPeerName();
};

void tst_NatsServerPool::serversFromOptions_data()
{
    QTest::addColumn<QList<QUrl>>("servers");
    QTest::addColumn<QString>("serversText");
    QTest::addColumn<QList<QUrl>>("expected");

    const QList<QUrl> three{url(u"nats://a:4222"_s), url(u"nats://b:4222"_s), url(u"tls://c:4333"_s)};
    QTest::newRow("list, in order") << three << u"nats://ignored:1"_s << three;
    QTest::newRow("text") << QList<QUrl>() << u"a, nats://b, tls://c:4333"_s << three;
    QTest::newRow("default") << QList<QUrl>() << QString() << QList<QUrl>{url(u"nats://127.0.0.1:4222"_s)};
}

void tst_NatsServerPool::serversFromOptions()
{
    QFETCH(QList<QUrl>, servers);
    QFETCH(QString, serversText);
    QFETCH(QList<QUrl>, expected);

    NatsConnectOptions options;
    options.servers = servers;
    options.serversText = serversText;
    options.randomizeServers = false;
    NatsServerPool pool;
    QString error;
    QVERIFY(pool.reset(options, &error));
    QCOMPARE(pool.urls(), expected);
    QVERIFY(!pool.hasCurrent());
}

void tst_NatsServerPool::randomizedServers()
{
    NatsConnectOptions options;
    for (int i = 0; i < 20; ++i)
        options.servers.append(url(u"nats://s%1:4222"_s.arg(i)));
    NatsServerPool pool;
    QString error;
    QVERIFY(pool.reset(options, &error));
    // The same servers, each once: 20! orders, so the original one coming back is not worth a retry.
    QList<QUrl> sorted = pool.urls();
    std::sort(sorted.begin(), sorted.end(), [](const QUrl &a, const QUrl &b) { return a.host() < b.host(); });
    QList<QUrl> expected = options.servers;
    std::sort(expected.begin(), expected.end(), [](const QUrl &a, const QUrl &b) { return a.host() < b.host(); });
    QCOMPARE(sorted, expected);
    QVERIFY(pool.urls() != options.servers);
}

void tst_NatsServerPool::unparsableServers()
{
    NatsServerPool pool;
    pool.reset({url(u"nats://kept:4222"_s)});
    NatsConnectOptions options;
    options.serversText = u"http://wrong"_s;
    QString error;
    QVERIFY(!pool.reset(options, &error));
    QVERIFY2(error.contains(u"http"_s), qPrintable(error));
    QCOMPARE(pool.urls(), QList<QUrl>{url(u"nats://kept:4222"_s)});
}

// "-s 14293" (a port where a URL goes) was read as the host 14293, which Qt spells 0.0.55.213: the
// connection then timed out against an address nobody meant. A host of digits alone is refused, saying how
// to write a port.
void tst_NatsServerPool::aBareNumberIsNoHost()
{
    QList<QUrl> urls;
    QString error;
    for (const QString &text : {u"14293"_s, u"nats://14293"_s, u"14293:4222"_s, u"a, 4222"_s}) {
        QVERIFY2(!NatsConnectOptions::parseServers(text, &urls, &error), qPrintable(text));
        QVERIFY2(error.contains(u"nats://127.0.0.1:"_s), qPrintable(error));
    }
    for (const QString &text : {u"127.0.0.1:14293"_s, u"nats://10.0.0.1"_s, u"host1:4222"_s, u"[::1]:4222"_s})
        QVERIFY2(NatsConnectOptions::parseServers(text, &urls, &error), qPrintable(text + u": "_s + error));
}

// "nats://127.0.0.1:99999" said only "is not a valid server URL": the port is named, and why.
void tst_NatsServerPool::aPortOutOfRangeIsNamed()
{
    QList<QUrl> urls;
    QString error;
    QVERIFY(!NatsConnectOptions::parseServers(u"nats://127.0.0.1:99999"_s, &urls, &error));
    QVERIFY2(error.contains(u"port 99999 is out of range (1 to 65535)"_s), qPrintable(error));
    QVERIFY(!NatsConnectOptions::parseServers(u"nats://alice:Pw-S3cret@[::1]:0"_s, &urls, &error));
    QVERIFY2(error.contains(u"port 0 is out of range"_s) && !error.contains(u"Pw-S3cret"_s), qPrintable(error));
}

void tst_NatsServerPool::passwordsInUrlsAreNeverShown_data()
{
    QTest::addColumn<QString>("servers");
    QTest::addColumn<QString>("redacted");
    QTest::addColumn<bool>("parses");
    QTest::newRow("no credentials") << u"nats://host:4222"_s << u"nats://host:4222"_s << true;
    QTest::newRow("user and password") << u"nats://alice:Pw-S3cret-77@host:4222"_s << u"nats://alice:***@host:4222"_s
                                       << true;
    QTest::newRow("token") << u"tls://Pw-S3cret-77@host"_s << u"tls://***@host"_s << true;
    QTest::newRow("@ in the password") << u"alice:Pw-S3cret-77@x@host"_s << u"alice:***@host"_s << false;
    QTest::newRow("a list") << u"nats://a:Pw-S3cret-77@h1, nats://h2"_s << u"nats://a:***@h1, nats://h2"_s << true;
    QTest::newRow("bad port") << u"nats://alice:Pw-S3cret-77@host:notaport"_s << u"nats://alice:***@host:notaport"_s
                              << false;
    // Found by fuzz/fuzz_natsclicontext: port 0 (no server listens there) was taken as a server to connect to.
    QTest::newRow("port 0") << u"nats://alice:Pw-S3cret-77@host:0"_s << u"nats://alice:***@host:0"_s << false;
    QTest::newRow("bad scheme") << u"http://alice:Pw-S3cret-77@host"_s << u"http://alice:***@host"_s << false;
    QTest::newRow("a path") << u"nats://alice:Pw-S3cret-77@host/x"_s << u"nats://alice:***@host/x"_s << false;
    QTest::newRow("space in the host") << u"nats://Pw-S3cret-77@ho st"_s << u"nats://***@ho st"_s << false;
}

// Parse errors name the bad entry; with its password shown as ***, never as it was typed.
void tst_NatsServerPool::passwordsInUrlsAreNeverShown()
{
    QFETCH(QString, servers);
    QFETCH(QString, redacted);
    QFETCH(bool, parses);
    QCOMPARE(NatsConnectOptions::redactedUrls(servers), redacted);
    QString userInfo;
    const QString stripped = NatsConnectOptions::withoutUserInfo(servers, &userInfo);
    QVERIFY2(!stripped.contains(u"Pw-S3cret-77"_s) && !stripped.contains(u'@'), qPrintable(stripped));
    QCOMPARE(userInfo.contains(u"Pw-S3cret-77"_s), redacted != servers);
    QList<QUrl> urls;
    QString error;
    QCOMPARE(NatsConnectOptions::parseServers(servers, &urls, &error), parses);
    if (parses)
        return;
    QVERIFY2(!error.contains(u"Pw-S3cret-77"_s), qPrintable(error));
    QVERIFY2(error.contains(u"***@"_s), qPrintable(error));
}

void tst_NatsServerPool::aCommaInAPasswordIsNeverShown_data()
{
    QTest::addColumn<QString>("servers");
    QTest::addColumn<QString>("redacted");
    QTest::addColumn<QString>("stripped"); // withoutUserInfo()
    QTest::addColumn<QString>("userInfo");
    // Secrets hold "Pw1x", "S3cr" and "77zz", in pieces between the commas.
    QTest::newRow("password") << u"nats://alice:Pw1x,S3cr@127.0.0.1:4222"_s << u"nats://alice:***@127.0.0.1:4222"_s
                              << u"nats://127.0.0.1:4222"_s << u"alice:Pw1x,S3cr"_s;
    QTest::newRow("two commas") << u"nats://alice:Pw1x,S3cr,77zz@host"_s << u"nats://alice:***@host"_s
                                << u"nats://host"_s << u"alice:Pw1x,S3cr,77zz"_s;
    QTest::newRow("empty piece") << u"nats://alice:Pw1x,,S3cr@host"_s << u"nats://alice:***@host"_s << u"nats://host"_s
                                 << u"alice:Pw1x,,S3cr"_s;
    QTest::newRow("no scheme") << u"alice:Pw1x,S3cr@host:4222"_s << u"alice:***@host:4222"_s << u"host:4222"_s
                               << u"alice:Pw1x,S3cr"_s;
    QTest::newRow("token") << u"tls://Pw1x,S3cr@host"_s << u"tls://***@host"_s << u"tls://host"_s << u"Pw1x,S3cr"_s;
    QTest::newRow("and an @") << u"nats://alice:Pw1x@S3cr,77zz@host"_s << u"nats://alice:***@host"_s << u"nats://host"_s
                              << u"alice:Pw1x@S3cr,77zz"_s;
    QTest::newRow("second of a list") << u"nats://h1:4222, nats://alice:Pw1x,S3cr@h2"_s
                                      << u"nats://h1:4222, nats://alice:***@h2"_s << u"nats://h1:4222, nats://h2"_s
                                      << u"alice:Pw1x,S3cr"_s;
    // Which cannot be told from a password holding ",alice:": refused as well, and shown as one URL.
    QTest::newRow("credentials without a scheme after a ','")
        << u"nats://h1:4222,alice:Pw1x@h2"_s << u"nats://h1:***@h2"_s << u"nats://h2"_s << u"h1:4222,alice:Pw1x"_s;
}

// "nats://alice:ab,cdSecret@host" was split as a list: its first piece, "nats://alice:ab", was no URL
// with credentials, so the message refusing it (and the window's title and status) showed it as typed,
// with the password up to its comma. Such a value is refused as a whole, naming no part of the secret.
void tst_NatsServerPool::aCommaInAPasswordIsNeverShown()
{
    QFETCH(QString, servers);
    QFETCH(QString, redacted);
    QFETCH(QString, stripped);
    QFETCH(QString, userInfo);
    const auto showsNoSecret = [](const QString &text) {
        return !text.contains(u"Pw1x"_s) && !text.contains(u"S3cr"_s) && !text.contains(u"77zz"_s);
    };
    QCOMPARE(NatsConnectOptions::redactedUrls(servers), redacted);
    QString taken;
    QCOMPARE(NatsConnectOptions::withoutUserInfo(servers, &taken), stripped);
    QCOMPARE(taken, userInfo);
    QList<QUrl> urls;
    QString error;
    QVERIFY(!NatsConnectOptions::parseServers(servers, &urls, &error));
    QVERIFY2(showsNoSecret(error), qPrintable(error));
    QVERIFY2(error.contains(redacted.split(u", "_s).last()), qPrintable(error));
    QVERIFY2(error.contains(u"%2C"_s), qPrintable(error));
}

// The way to write it: percent-encoded, the password is the user's, comma and all.
void tst_NatsServerPool::anEncodedCommaInAPasswordWorks()
{
    const QString servers = u"nats://alice:Pw1x%2CS3cr@127.0.0.1:4222"_s;
    QList<QUrl> urls;
    QString error;
    QVERIFY2(NatsConnectOptions::parseServers(servers, &urls, &error), qPrintable(error));
    QCOMPARE(urls.size(), 1);
    QCOMPARE(urls.first().host(), u"127.0.0.1"_s);
    QCOMPARE(urls.first().password(QUrl::FullyDecoded), u"Pw1x,S3cr"_s);
    QCOMPARE(NatsConnectOptions::redactedUrls(servers), u"nats://alice:***@127.0.0.1:4222"_s);
    QString userInfo;
    QCOMPARE(NatsConnectOptions::withoutUserInfo(servers, &userInfo), u"nats://127.0.0.1:4222"_s);
    QCOMPARE(userInfo, u"alice:Pw1x%2CS3cr"_s);
}

void tst_NatsServerPool::startsWithoutCurrentServer()
{
    NatsServerPool pool;
    pool.reset({url(u"nats://a:4222"_s), url(u"nats://b:4222"_s)});
    QCOMPARE(pool.size(), 2);
    QVERIFY(!pool.hasCurrent());
    QCOMPARE(pool.currentUrl(), QUrl());
    QCOMPARE(pool.urls(), (QList<QUrl>{url(u"nats://a:4222"_s), url(u"nats://b:4222"_s)}));
    QVERIFY(!pool.attemptFailed(kRefused, pacing(0))); // nothing current: nothing counted
    QCOMPARE(pool.servers().at(0).failedAttempts, 0);
}

void tst_NatsServerPool::roundRobin()
{
    NatsServerPool pool;
    pool.reset({url(u"nats://a:4222"_s), url(u"nats://b:4222"_s)});
    QList<QString> hosts;
    for (int i = 0; i < 5; ++i) {
        pool.advance(pacing(0));
        hosts.append(pool.currentUrl().host());
    }
    QCOMPARE(hosts, (QList<QString>{u"a"_s, u"b"_s, u"a"_s, u"b"_s, u"a"_s}));
}

void tst_NatsServerPool::untriedServerWaitsNothing()
{
    NatsServerPool pool;
    pool.reset({url(u"nats://a:4222"_s)});
    QCOMPARE(pool.advance(pacing(60000, 1000, 1000)), 0);
    pool.attemptStarted();
    pool.attemptFailed(kRefused, pacing(60000));
    QVERIFY(pool.advance(pacing(60000)) > 60000 - kSlackMs);
}

void tst_NatsServerPool::backoff_data()
{
    QTest::addColumn<int>("failedAttempts");
    QTest::addColumn<int>("factor");

    QTest::newRow("never failed") << 0 << 1;
    QTest::newRow("1 failure") << 1 << 1;
    QTest::newRow("2 failures") << 2 << 2;
    QTest::newRow("3 failures") << 3 << 4;
    QTest::newRow("4 failures: capped") << 4 << NatsServerPool::MaxReconnectWaitFactor;
    QTest::newRow("10 failures: capped") << 10 << NatsServerPool::MaxReconnectWaitFactor;
    // Past 32 failures a shift by the count would overflow int (the default allows 60 attempts).
    QTest::newRow("33 failures: capped") << 33 << NatsServerPool::MaxReconnectWaitFactor;
    QTest::newRow("60 failures: capped") << 60 << NatsServerPool::MaxReconnectWaitFactor;
}

void tst_NatsServerPool::backoff()
{
    QFETCH(int, failedAttempts);
    QFETCH(int, factor);

    const qint64 expected = 1000 * factor;
    const qint64 delay = NatsServerPool::reconnectDelay(triedServer(u"nats://a:4222"_s, failedAttempts), pacing(1000));
    QVERIFY2(delay <= expected && delay > expected - kSlackMs, qPrintable(QString::number(delay)));
}

void tst_NatsServerPool::jitterFollowsTls()
{
    // TLS handshakes cost the server more, so TLS reconnects spread wider (reconnectJitterTlsMs).
    const NatsConnectOptions options = pacing(0, 10, 1000);
    NatsConnectOptions tlsRequired = options;
    tlsRequired.tlsRequired = true;
    qint64 maxPlain = 0;
    qint64 maxTlsUrl = 0;
    qint64 maxTlsOption = 0;
    // Jitter is random: 200 draws from 0..1000 all staying at or below 10 would be a 1e-400 chance.
    for (int i = 0; i < 200; ++i) {
        maxPlain = std::max(maxPlain, NatsServerPool::reconnectDelay(triedServer(u"nats://a:4222"_s, 1), options));
        maxTlsUrl = std::max(maxTlsUrl, NatsServerPool::reconnectDelay(triedServer(u"tls://a:4222"_s, 1), options));
        maxTlsOption = std::max(maxTlsOption,
                                NatsServerPool::reconnectDelay(triedServer(u"nats://a:4222"_s, 1), tlsRequired));
    }
    QVERIFY(maxPlain <= 10);
    QVERIFY2(maxTlsUrl > 10 && maxTlsUrl <= 1000, qPrintable(QString::number(maxTlsUrl)));
    QVERIFY2(maxTlsOption > 10 && maxTlsOption <= 1000, qPrintable(QString::number(maxTlsOption)));
}

void tst_NatsServerPool::waitsOnlyTheRestOfTheWait()
{
    // A server last tried longer ago than its wait is tried at once.
    NatsServerPool::Server server = triedServer(u"nats://a:4222"_s, 1);
    QTRY_COMPARE_WITH_TIMEOUT(NatsServerPool::reconnectDelay(server, pacing(20)), 0, 5000);
}

void tst_NatsServerPool::dropAfterMaxAttempts()
{
    NatsConnectOptions options = pacing(0);
    options.maxReconnectAttempts = 2;
    NatsServerPool pool;
    pool.reset({url(u"nats://a:4222"_s)});
    pool.advance(options);
    QVERIFY(!pool.attemptFailed(kRefused, options));
    QVERIFY(!pool.attemptFailed(kRefused, options));
    QVERIFY(pool.attemptFailed(kRefused, options));
    QCOMPARE(pool.servers().at(0).failedAttempts, 3);
}

void tst_NatsServerPool::retryForever()
{
    NatsConnectOptions options = pacing(0);
    options.maxReconnectAttempts = -1;
    NatsServerPool pool;
    pool.reset({url(u"nats://a:4222"_s)});
    pool.advance(options);
    for (int i = 0; i < 100; ++i)
        QVERIFY(!pool.attemptFailed(kRefused, options));
}

void tst_NatsServerPool::sameAuthErrorTwice()
{
    NatsConnectOptions options = pacing(0);
    options.maxReconnectAttempts = -1;
    NatsServerPool pool;
    pool.reset({url(u"nats://a:4222"_s)});
    pool.advance(options);
    QVERIFY(!pool.attemptFailed(kAuthViolation, options));
    QVERIFY(!pool.attemptFailed(kAuthExpired, options)); // a different refusal: maybe it changes again
    QVERIFY(!pool.attemptFailed(kRefused, options));     // not an auth error: does not reset the rule
    QVERIFY(pool.attemptFailed(kAuthExpired, options));
}

void tst_NatsServerPool::successForgetsFailures()
{
    NatsConnectOptions options = pacing(0);
    options.maxReconnectAttempts = 1;
    NatsServerPool pool;
    pool.reset({url(u"nats://a:4222"_s)});
    pool.advance(options);
    QVERIFY(!pool.attemptFailed(kAuthViolation, options));
    pool.attemptSucceeded();
    QCOMPARE(pool.servers().at(0).failedAttempts, 0);
    QVERIFY(!pool.attemptFailed(kAuthViolation, options));
    QVERIFY(pool.attemptFailed(kRefused, options));
}

void tst_NatsServerPool::removeCurrent()
{
    NatsServerPool pool;
    pool.reset({url(u"nats://a:4222"_s), url(u"nats://b:4222"_s), url(u"nats://c:4222"_s)});
    pool.advance(pacing(0));
    pool.advance(pacing(0));
    QCOMPARE(pool.currentUrl().host(), u"b"_s);
    pool.removeCurrent();
    QCOMPARE(pool.urls(), (QList<QUrl>{url(u"nats://a:4222"_s), url(u"nats://c:4222"_s)}));
    pool.advance(pacing(0));
    QCOMPARE(pool.currentUrl().host(), u"c"_s);
    pool.removeCurrent();
    pool.advance(pacing(0));
    QCOMPARE(pool.currentUrl().host(), u"a"_s);
    pool.removeCurrent();
    QVERIFY(pool.isEmpty());
    QVERIFY(!pool.hasCurrent());
}

void tst_NatsServerPool::implicitServers()
{
    NatsServerPool pool;
    pool.reset({url(u"tls://alice:secret@seed.example:4222"_s)});
    pool.advance(pacing(0));
    pool.addImplicitServers({u"10.0.0.2:4223"_s, u"10.0.0.3"_s, u"seed.example:4222"_s, u"10.0.0.2:4223"_s, QString()});

    const QList<NatsServerPool::Server> &servers = pool.servers();
    QCOMPARE(servers.size(), 3); // the seed and the duplicate are known, the empty entry is no server
    QVERIFY(!servers.at(0).implicit);
    // Learned servers take the scheme and credentials of the server that announced them.
    QCOMPARE(servers.at(1).url, url(u"tls://alice:secret@10.0.0.2:4223"_s));
    QVERIFY(servers.at(1).implicit);
    QCOMPARE(servers.at(2).url, url(u"tls://alice:secret@10.0.0.3:4222"_s)); // the default port
    QVERIFY(servers.at(2).implicit);
    QCOMPARE(servers.at(2).failedAttempts, 0);
    QVERIFY(!servers.at(2).lastAttempt.isValid());
}

// Review 6 F3: the pool only ever grew. A cluster that shrank, or pods restarted on new addresses, left
// servers that would never answer, each tried (a connect timeout for an address that drops packets) on
// every reconnect, for as long as the window ran. As nats.go: a learned server the cluster no longer
// lists goes; the servers given, and the one connected to, stay.
void tst_NatsServerPool::learnedServersGoWhenTheClusterNoLongerListsThem()
{
    NatsServerPool pool;
    pool.reset({url(u"nats://seed.example:4222"_s)});
    pool.advance(pacing(0));
    pool.addImplicitServers({u"10.0.0.1:4222"_s, u"10.0.0.2:4222"_s, u"10.0.0.3:4222"_s});
    QCOMPARE(pool.size(), 4);
    pool.advance(pacing(0));
    pool.advance(pacing(0));
    QCOMPARE(pool.currentUrl().host(), u"10.0.0.2"_s);
    // 10.0.0.3 left the cluster; the seed and 10.0.0.2 (connected) are not listed but stay.
    pool.addImplicitServers({u"10.0.0.1:4222"_s, u"10.0.0.4:4222"_s});
    QStringList hosts;
    for (const QUrl &server : pool.urls())
        hosts.append(server.host());
    QCOMPARE(hosts, (QStringList{u"seed.example"_s, u"10.0.0.1"_s, u"10.0.0.2"_s, u"10.0.0.4"_s}));
    QCOMPARE(pool.currentUrl().host(), u"10.0.0.2"_s); // still the current one
    pool.advance(pacing(0));
    QCOMPARE(pool.currentUrl().host(), u"10.0.0.4"_s); // the round goes on from there
    // An INFO without connect_urls (a server outside any cluster) removes nothing.
    pool.addImplicitServers({});
    QCOMPARE(pool.size(), 4);
}

void tst_NatsServerPool::tlsPeerName()
{
    // Learned servers are often bare IPs: their certificates are checked against the first configured
    // host, as nats.go does; configured servers against their own.
    NatsServerPool pool;
    pool.reset({url(u"tls://first.example:4222"_s), url(u"tls://second.example:4222"_s)});
    QCOMPARE(pool.tlsPeerName(), QString());
    pool.advance(pacing(0));
    pool.advance(pacing(0));
    QCOMPARE(pool.tlsPeerName(), u"second.example"_s);
    pool.addImplicitServers({u"10.0.0.9:4222"_s});
    pool.advance(pacing(0));
    QCOMPARE(pool.currentUrl().host(), u"10.0.0.9"_s);
    QCOMPARE(pool.tlsPeerName(), u"first.example"_s);
}

QTEST_GUILESS_MAIN(tst_NatsServerPool)

#include "tst_natsserverpool.moc"
