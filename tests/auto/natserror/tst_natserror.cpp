#include "natserror.h"
#include "natspermissionviolation.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(NatsPermissionViolation::Operation)

// The -ERR texts are the ones nats-server sends (server/errors.go, server/client.go), as the parser
// hands them over: without the quotes.
class tst_NatsError final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromServerText_data();
    void fromServerText();
    void isAuthenticationError();
    void messageFallsBackToDescription();
    void permissionViolation_data();
    void permissionViolation();
};

void tst_NatsError::fromServerText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<NatsError::Code>("code");

    QTest::newRow("authorization") << "Authorization Violation"_ba << NatsError::AuthorizationViolation;
    QTest::newRow("case-insensitive") << "AUTHORIZATION VIOLATION"_ba << NatsError::AuthorizationViolation;
    QTest::newRow("user expired") << "User Authentication Expired"_ba << NatsError::AuthenticationExpired;
    QTest::newRow("user revoked") << "User Authentication Revoked"_ba << NatsError::AuthorizationViolation;
    QTest::newRow("account expired") << "Account Authentication Expired"_ba << NatsError::AuthenticationExpired;
    QTest::newRow("auth timeout") << "Authentication Timeout"_ba << NatsError::AuthorizationViolation;
    QTest::newRow("permissions publish") << "Permissions Violation for Publish to \"a.b\""_ba
                                         << NatsError::PermissionsViolation;
    QTest::newRow("permissions subscribe")
        << "Permissions Violation for Subscription to \"a.>\""_ba << NatsError::PermissionsViolation;
    QTest::newRow("max payload") << "Maximum Payload Violation"_ba << NatsError::MaxPayloadViolation;
    QTest::newRow("max control line") << "Maximum Control Line Exceeded"_ba << NatsError::MaxControlLineExceeded;
    QTest::newRow("max connections") << "maximum connections exceeded"_ba << NatsError::MaxConnectionsExceeded;
    QTest::newRow("max account connections")
        << "Maximum Account Active Connections Exceeded"_ba << NatsError::MaxConnectionsExceeded;
    QTest::newRow("max subscriptions") << "Maximum Subscriptions Exceeded"_ba << NatsError::MaxSubscriptionsExceeded;
    QTest::newRow("stale") << "Stale Connection"_ba << NatsError::StaleConnection;
    QTest::newRow("slow consumer") << "Slow Consumer"_ba << NatsError::SlowConsumer;
    QTest::newRow("tls required") << "Secure Connection - TLS Required"_ba << NatsError::SecureConnectionRequired;
    QTest::newRow("invalid subject") << "Invalid Subject"_ba << NatsError::InvalidSubjectRejected;
    QTest::newRow("invalid publish subject") << "Invalid Publish Subject"_ba << NatsError::InvalidSubjectRejected;
    QTest::newRow("unknown") << "Unknown Protocol Operation"_ba << NatsError::ServerError;
    QTest::newRow("empty") << QByteArray() << NatsError::ServerError;
    // A known text in the middle of another one is not that error.
    QTest::newRow("prefix only") << "Not an Authorization Violation"_ba << NatsError::ServerError;
}

void tst_NatsError::fromServerText()
{
    QFETCH(QByteArray, text);
    QFETCH(NatsError::Code, code);
    QCOMPARE(NatsError::fromServerText(text), code);
}

void tst_NatsError::isAuthenticationError()
{
    QVERIFY(NatsError::isAuthenticationError(NatsError::AuthorizationViolation));
    QVERIFY(NatsError::isAuthenticationError(NatsError::AuthenticationExpired));
    QVERIFY(!NatsError::isAuthenticationError(NatsError::PermissionsViolation));
    QVERIFY(!NatsError::isAuthenticationError(NatsError::CredentialsError));
    QVERIFY(!NatsError::isAuthenticationError(NatsError::NoError));
}

void tst_NatsError::messageFallsBackToDescription()
{
    QCOMPARE(NatsError(NatsError::Timeout, u"request on \"a\" timed out"_s).message(), u"request on \"a\" timed out"_s);
    QCOMPARE(NatsError(NatsError::Timeout, {}).message(), NatsError::describe(NatsError::Timeout));
    QVERIFY(NatsError().message().isEmpty());
}

void tst_NatsError::permissionViolation_data()
{
    using Operation = NatsPermissionViolation::Operation;
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("parsed");
    QTest::addColumn<Operation>("operation");
    QTest::addColumn<QByteArray>("subject");
    QTest::addColumn<QByteArray>("queueGroup");

    // The texts of nats-server's client.go; subjects are quoted with Go's %q.
    QTest::newRow("publish") << R"(Permissions Violation for Publish to "a.b")"_ba << true << Operation::Publish
                             << "a.b"_ba << QByteArray();
    QTest::newRow("subscription") << R"(Permissions Violation for Subscription to "_INBOX.x.*")"_ba << true
                                  << Operation::Subscription << "_INBOX.x.*"_ba << QByteArray();
    QTest::newRow("queue subscription") << R"(Permissions Violation for Subscription to "a.b" using queue "q")"_ba
                                        << true << Operation::Subscription << "a.b"_ba
                                        << "q"_ba;
    QTest::newRow("too many tokens") << R"(Permissions Violation for Subscription to "a.b", too many tokens)"_ba << true
                                     << Operation::Subscription << "a.b"_ba << QByteArray();
    QTest::newRow("reply") << R"(Permissions Violation for Publish with Reply of "_R_.x")"_ba << true
                           << Operation::Reply << "_R_.x"_ba << QByteArray();
    QTest::newRow("escaped quote") << R"(Permissions Violation for Publish to "say\"hi\"")"_ba << true
                                   << Operation::Publish << R"(say"hi")"_ba << QByteArray();
    QTest::newRow("escaped backslash") << R"(Permissions Violation for Publish to "a\\b")"_ba << true
                                       << Operation::Publish << R"(a\b)"_ba << QByteArray();
    QTest::newRow("hex and unicode escapes")
        << R"(Permissions Violation for Publish to "a\x01\u00e9\U0001F600")"_ba << true << Operation::Publish
        << "a\x01\xc3\xa9\xf0\x9f\x98\x80"_ba << QByteArray();
    QTest::newRow("UTF-8 as is") << "Permissions Violation for Publish to \"caf\xc3\xa9\""_ba << true
                                 << Operation::Publish << "caf\xc3\xa9"_ba << QByteArray();
    QTest::newRow("case-insensitive") << R"(permissions violation for publish to "a")"_ba << true << Operation::Publish
                                      << "a"_ba << QByteArray();
    QTest::newRow("no subject") << "Permissions Violation"_ba << false << Operation::Publish << QByteArray()
                                << QByteArray();
    QTest::newRow("unterminated") << R"(Permissions Violation for Publish to "a.b)"_ba << false << Operation::Publish
                                  << QByteArray() << QByteArray();
    QTest::newRow("another error") << R"(Invalid Subject "a")"_ba << false << Operation::Publish << QByteArray()
                                   << QByteArray();
}

void tst_NatsError::permissionViolation()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, parsed);
    QFETCH(NatsPermissionViolation::Operation, operation);
    QFETCH(QByteArray, subject);
    QFETCH(QByteArray, queueGroup);

    NatsPermissionViolation violation;
    QCOMPARE(NatsPermissionViolation::parse(text, &violation), parsed);
    if (!parsed)
        return;
    QCOMPARE(violation.operation, operation);
    QCOMPARE(violation.subject, subject);
    QCOMPARE(violation.queueGroup, queueGroup);
}

QTEST_APPLESS_MAIN(tst_NatsError)

#include "tst_natserror.moc"
