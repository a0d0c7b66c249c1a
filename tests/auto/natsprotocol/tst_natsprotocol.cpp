#include "natsheaders.h"
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

// NatsProtocol's one-pass subject check as it was before its byte table: the reference the table is
// compared with.
bool referenceIsValidSubject(const QByteArray &subject, NatsProtocol::SubjectKind kind)
{
    const auto isSpaceOrControl = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; };
    const char *data = subject.constData();
    const qsizetype size = subject.size();
    if (size == 0)
        return false;
    qsizetype tokenStart = 0;
    for (qsizetype i = 0; i <= size; ++i) {
        const char c = i < size ? data[i] : '.';
        if (isSpaceOrControl(c))
            return false;
        if (c != '.')
            continue;
        const qsizetype length = i - tokenStart;
        if (length == 0)
            return false;
        if (length == 1 && (data[tokenStart] == '*' || data[tokenStart] == '>')) {
            if (kind == NatsProtocol::SubjectKind::Publish || (data[tokenStart] == '>' && i != size))
                return false;
        }
        tokenStart = i + 1;
    }
    return true;
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
    void checkRequestPublish_data();
    void checkRequestPublish();
    void headerBlockIsTheReferenceEncoding_data();
    void headerBlockIsTheReferenceEncoding();
    void publishFrames();
    void subjectRulesAsBefore();
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

// A request's publish: the reply subject is the library's own (NatsRequestMux) and not validated
// again, but everything the caller gave is checked as checkPublish() does, and the reply still counts
// in the line length.
void tst_NatsProtocol::checkRequestPublish_data()
{
    QTest::addColumn<NatsMessage>("message");
    QTest::addColumn<QByteArray>("replyTo");
    QTest::addColumn<bool>("headersSupported");
    QTest::addColumn<NatsError::Code>("code");

    const QByteArray inbox = "_INBOX.abcdefghijklmnopqrstuv.0000000001"_ba;
    QTest::newRow("plain") << NatsMessage("a.b", "data") << inbox << true << NatsError::NoError;
    QTest::newRow("msg id") << withHeader("$KV.B.k", "Nats-Msg-Id", "id") << inbox << true << NatsError::NoError;
    QTest::newRow("wildcard subject") << NatsMessage("a.*", "data") << inbox << true << NatsError::InvalidSubject;
    QTest::newRow("space in subject") << NatsMessage("a b", "data") << inbox << true << NatsError::InvalidSubject;
    QTest::newRow("bad header key") << withHeader("a", "Bad Key", "v") << inbox << true << NatsError::InvalidHeader;
    QTest::newRow("line break in value") << withHeader("a", "Nats-Msg-Id", "i\r\nd") << inbox << true
                                         << NatsError::InvalidHeader;
    QTest::newRow("headers unsupported") << withHeader("a", "K", "v") << inbox << false << NatsError::InvalidHeader;
    // The caller's own reply subject is replaced by the request's, so it is not what is checked.
    QTest::newRow("caller's reply ignored") << NatsMessage("a", "data", "r.>") << inbox << true << NatsError::NoError;
    // "PUB " + 2000 + " " + 2100 + " " + "1" = 4107 bytes.
    QTest::newRow("reply makes it too long")
        << NatsMessage(QByteArray(2000, 's'), "x") << QByteArray(2100, 'r') << true << NatsError::ControlLineTooLong;
}

void tst_NatsProtocol::checkRequestPublish()
{
    QFETCH(NatsMessage, message);
    QFETCH(QByteArray, replyTo);
    QFETCH(bool, headersSupported);
    QFETCH(NatsError::Code, code);

    const QByteArray block = message.hasHeaders() ? message.headers().toWire() : QByteArray();
    const NatsError error = NatsProtocol::checkRequestPublish(message, block, replyTo, 1024 * 1024, headersSupported);
    QCOMPARE(error.code(), code);
    // Where both apply, the verdict is checkPublish()'s on the message as it goes out.
    if (!message.replyTo().isEmpty())
        return;
    NatsMessage sent = message;
    sent.setReplyTo(replyTo);
    QCOMPARE(NatsProtocol::checkPublish(sent, block, 1024 * 1024, headersSupported).code(), code);
}

void tst_NatsProtocol::headerBlockIsTheReferenceEncoding_data()
{
    QTest::addColumn<NatsHeaders>("headers");

    NatsHeaders msgId;
    msgId.set("Nats-Msg-Id", "hRkV8mWQ1kN3Zb2GqTJxYa");
    NatsHeaders expectations = msgId;
    expectations.set("Nats-Expected-Last-Subject-Sequence", "12345");
    expectations.append("X-Repeated", "one");
    expectations.append("X-Repeated", "");
    NatsHeaders status;
    status.setStatus(100, "Idle Heartbeat");
    status.append("Nats-Last-Consumer", "7");
    NatsHeaders bareStatus;
    bareStatus.setStatus(503);
    QTest::newRow("empty") << NatsHeaders();
    QTest::newRow("msg id") << msgId;
    QTest::newRow("expectations") << expectations;
    QTest::newRow("status") << status;
    QTest::newRow("bare status") << bareStatus;
}

// toWire() writes into one buffer sized first: byte for byte what a line-by-line encoding gives.
void tst_NatsProtocol::headerBlockIsTheReferenceEncoding()
{
    QFETCH(NatsHeaders, headers);

    QByteArray reference = "NATS/1.0";
    if (headers.status() > 0) {
        reference += ' ' + QByteArray::number(headers.status());
        if (!headers.statusDescription().isEmpty())
            reference += ' ' + headers.statusDescription();
    }
    reference += "\r\n";
    for (const NatsHeaders::Entry &entry : headers.entries())
        reference += entry.first + ": " + entry.second + "\r\n";
    reference += "\r\n";
    const QByteArray block = headers.toWire();
    QCOMPARE(block, reference);
    QCOMPARE(block.size(), qstrlen(block.constData()));
    NatsHeaders parsed;
    QVERIFY(NatsHeaders::fromWire(block, &parsed));
    QCOMPARE(parsed, headers);
}

// appendPublish() writes the frame in place into a reused buffer, after what it already holds.
void tst_NatsProtocol::publishFrames()
{
    QCOMPARE(NatsProtocol::pub("a.b", {}, "hello"), "PUB a.b 5\r\nhello\r\n"_ba);
    QCOMPARE(NatsProtocol::pub("a.b", "_INBOX.x.1", {}), "PUB a.b _INBOX.x.1 0\r\n\r\n"_ba);
    NatsHeaders headers;
    headers.set("Nats-Msg-Id", "id1");
    const QByteArray block = headers.toWire();
    QCOMPARE(block, "NATS/1.0\r\nNats-Msg-Id: id1\r\n\r\n"_ba);
    QCOMPARE(NatsProtocol::hpub("$KV.B.k", "_INBOX.x.2", block, QByteArray(128, 'v')),
             "HPUB $KV.B.k _INBOX.x.2 30 158\r\n"_ba + block + QByteArray(128, 'v') + "\r\n"_ba);
    QByteArray frame = "PING\r\n"_ba;
    frame.reserve(4096);
    NatsProtocol::appendPublish(&frame, "s", {}, {}, QByteArray(1234567, 'p'));
    QVERIFY(frame.startsWith("PING\r\nPUB s 1234567\r\npppp"));
    QVERIFY(frame.endsWith("pppp\r\n"));
    QCOMPARE(frame.size(), 6 + 15 + 1234567 + 2);
    QCOMPARE(NatsProtocol::publishLineLength("s", {}, 0, 1234567), qsizetype(13));
}

// Publish and subscribe subjects are taken and refused as before: every subject of up to five bytes
// over bytes on both sides of each rule (letters, dot, wildcards, each blank and control refused,
// other controls and bytes past ASCII allowed).
void tst_NatsProtocol::subjectRulesAsBefore()
{
    const QByteArray alphabet("a.*> \t\r\n\0\x01\xc3\xff", 12);
    const qsizetype n = alphabet.size();
    qsizetype valid = 0;
    qsizetype compared = 0;
    QByteArray subject;
    for (int length = 0; length <= 5; ++length) {
        qsizetype combinations = 1;
        for (int i = 0; i < length; ++i)
            combinations *= n;
        for (qsizetype index = 0; index < combinations; ++index) {
            subject.resize(length);
            qsizetype rest = index;
            for (int i = 0; i < length; ++i, rest /= n)
                subject[i] = alphabet[rest % n];
            for (const auto kind : {NatsProtocol::SubjectKind::Publish, NatsProtocol::SubjectKind::Subscribe}) {
                const bool expected = referenceIsValidSubject(subject, kind);
                if (NatsProtocol::validateSubject(subject, kind).isEmpty() != expected)
                    QFAIL(
                        qPrintable(u"subject %1 (kind %2): valid before: %3"_s.arg(QString::fromLatin1(subject.toHex()))
                                       .arg(int(kind))
                                       .arg(expected)));
                // The quick check of a plain publish says yes exactly when checkPublish() does, for the
                // subject and for the reply subject.
                if (kind == NatsProtocol::SubjectKind::Publish
                    && (NatsProtocol::isValidPlainPublish(subject, {}, 1, 1024) != expected
                        || NatsProtocol::isValidPlainPublish("a", subject, 1, 1024) != (subject.isEmpty() || expected)))
                    QFAIL(
                        qPrintable(u"subject %1: the quick check differs"_s.arg(QString::fromLatin1(subject.toHex()))));
                valid += expected ? 1 : 0;
                ++compared;
            }
        }
    }
    QVERIFY(valid > 1000);
    QVERIFY(compared - valid > 1000);
}

QTEST_APPLESS_MAIN(tst_NatsProtocol)

#include "tst_natsprotocol.moc"
