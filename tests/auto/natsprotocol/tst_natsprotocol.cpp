#include "natsmessage.h"
#include "natsprotocol.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// What the client refuses to send before it reaches the server (NatsProtocol::checkPublish and
// checkSubscribe); the connection adds its state on top. Line lengths: "PUB <subject> <size>" and
// "SUB <subject> <sid>" must stay within NatsProtocol::MaxControlLine (4096) bytes.

namespace {

NatsMessage withHeader(const QByteArray &subject, const QByteArray &key, const QByteArray &value)
{
    NatsMessage message(subject, "x");
    message.headers().append(key, value);
    return message;
}

} // namespace

class tst_NatsProtocol final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void checkPublish_data();
    void checkPublish();
    void checkPublishMessagesNameTheLimits();
    void checkSubscribe_data();
    void checkSubscribe();
};

void tst_NatsProtocol::checkPublish_data()
{
    QTest::addColumn<NatsMessage>("message");
    QTest::addColumn<qint64>("maxPayload");
    QTest::addColumn<bool>("headersSupported");
    QTest::addColumn<NatsError::Code>("code");

    const qint64 mb = 1024 * 1024;
    QTest::newRow("plain") << NatsMessage("a.b", "data") << mb << true << NatsError::NoError;
    QTest::newRow("with reply") << NatsMessage("a.b", "data", "_INBOX.x") << mb << true << NatsError::NoError;
    QTest::newRow("wildcard subject") << NatsMessage("a.*", "data") << mb << true << NatsError::InvalidSubject;
    QTest::newRow("wildcard reply") << NatsMessage("a.b", "data", "r.>") << mb << true << NatsError::InvalidSubject;
    QTest::newRow("empty subject") << NatsMessage({}, "data") << mb << true << NatsError::InvalidSubject;
    // The subject is checked before anything else.
    QTest::newRow("bad subject and too large")
        << NatsMessage("a b", "data") << qint64(1) << true << NatsError::InvalidSubject;
    QTest::newRow("header") << withHeader("a", "Key", "value") << mb << true << NatsError::NoError;
    QTest::newRow("headers unsupported") << withHeader("a", "Key", "value") << mb << false << NatsError::InvalidHeader;
    QTest::newRow("no headers, unsupported") << NatsMessage("a", "data") << mb << false << NatsError::NoError;
    QTest::newRow("bad header key") << withHeader("a", "Bad Key", "value") << mb << true << NatsError::InvalidHeader;
    QTest::newRow("exactly max payload") << NatsMessage("a", QByteArray(100, 'x')) << qint64(100) << true
                                         << NatsError::NoError;
    QTest::newRow("one byte over") << NatsMessage("a", QByteArray(101, 'x')) << qint64(100) << true
                                   << NatsError::PayloadTooLarge;
    // Headers count towards the payload limit.
    QTest::newRow("headers push it over")
        << withHeader("a", "Key", "value") << qint64(10) << true << NatsError::PayloadTooLarge;
    // "PUB " + 4090 + " " + "1" = 4096 bytes: just fits.
    QTest::newRow("longest line") << NatsMessage(QByteArray(4090, 's'), "x") << mb << true << NatsError::NoError;
    QTest::newRow("line too long") << NatsMessage(QByteArray(4091, 's'), "x") << mb << true
                                   << NatsError::ControlLineTooLong;
    QTest::newRow("reply makes it too long") << NatsMessage(QByteArray(2000, 's'), "x", QByteArray(2100, 'r')) << mb
                                             << true << NatsError::ControlLineTooLong;
}

void tst_NatsProtocol::checkPublish()
{
    QFETCH(NatsMessage, message);
    QFETCH(qint64, maxPayload);
    QFETCH(bool, headersSupported);
    QFETCH(NatsError::Code, code);

    const NatsError error = NatsProtocol::checkPublish(message, maxPayload, headersSupported);
    QCOMPARE(error.code(), code);
    QCOMPARE(error.message().isEmpty(), code == NatsError::NoError);
}

void tst_NatsProtocol::checkPublishMessagesNameTheLimits()
{
    const NatsError tooLarge = NatsProtocol::checkPublish(NatsMessage("a", QByteArray(101, 'x')), 100, true);
    QCOMPARE(tooLarge.message(), u"message of 101 bytes exceeds the server's maximum payload of 100 bytes"_s);
    const NatsError tooLong = NatsProtocol::checkPublish(NatsMessage(QByteArray(4091, 's'), "x"), 1024, true);
    QVERIFY2(tooLong.message().contains(u"4097 bytes, the limit is 4096"_s), qPrintable(tooLong.message()));
}

void tst_NatsProtocol::checkSubscribe_data()
{
    QTest::addColumn<QByteArray>("subject");
    QTest::addColumn<QByteArray>("queue");
    QTest::addColumn<quint64>("sid");
    QTest::addColumn<NatsError::Code>("code");

    QTest::newRow("plain") << "a.b"_ba << QByteArray() << quint64(1) << NatsError::NoError;
    QTest::newRow("wildcards") << "a.*.>"_ba << QByteArray() << quint64(1) << NatsError::NoError;
    QTest::newRow("queue") << "a.b"_ba
                           << "workers"_ba << quint64(1) << NatsError::NoError;
    QTest::newRow("> not last") << "a.>.b"_ba << QByteArray() << quint64(1) << NatsError::InvalidSubject;
    QTest::newRow("tab in subject") << "a\tb"_ba << QByteArray() << quint64(1) << NatsError::InvalidSubject;
    QTest::newRow("space in queue") << "a.b"_ba
                                    << "two words"_ba << quint64(1) << NatsError::InvalidQueueGroup;
    // "SUB " + 4090 + " " + "1" = 4096 bytes; a longer sid makes the same subject too long.
    QTest::newRow("longest line") << QByteArray(4090, 's') << QByteArray() << quint64(1) << NatsError::NoError;
    QTest::newRow("sid makes it too long")
        << QByteArray(4090, 's') << QByteArray() << quint64(10) << NatsError::ControlLineTooLong;
    QTest::newRow("queue makes it too long")
        << QByteArray(4089, 's') << "q"_ba << quint64(1) << NatsError::ControlLineTooLong;
}

void tst_NatsProtocol::checkSubscribe()
{
    QFETCH(QByteArray, subject);
    QFETCH(QByteArray, queue);
    QFETCH(quint64, sid);
    QFETCH(NatsError::Code, code);

    QCOMPARE(NatsProtocol::checkSubscribe(subject, queue, sid).code(), code);
}

QTEST_APPLESS_MAIN(tst_NatsProtocol)

#include "tst_natsprotocol.moc"
