#include "jetstreamcontext.h"
#include "jsapireply.h"
#include "jstestsupport.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Publishing to JetStream over a real nats-server: acks and expectation headers, de-duplication, no
// stream, retries, many publishes in flight.

using JsTest::memoryStream;

class tst_JetStreamPublish final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void publishAckAndExpectations();
    void publishDeduplicates();
    void publishWithoutStream();
    void pipelinedPublishes();
    void fullStreamRefuses();
    void apiErrors_data();
    void apiErrors();
    void ackScan_data();
    void ackScan();

private:
    QString unique(const QString &base) const { return base + QString::number(m_counter); }
    QByteArray uniqueSubject(const char *base) const { return QByteArray(base) + '.' + QByteArray::number(m_counter); }
    bool createStream(const JsStreamConfig &config) { return JsTest::createStream(m_js, config); }
    quint64 publish(const QByteArray &subject, const QByteArray &data) { return JsTest::publish(m_js, subject, data); }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    int m_counter = 0;
};

void tst_JetStreamPublish::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js));
}

void tst_JetStreamPublish::init()
{
    ++m_counter;
}

void tst_JetStreamPublish::publishAckAndExpectations()
{
    const QString name = unique(u"PX"_s);
    const QByteArray subject = uniqueSubject("px");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    const QByteArray a = subject + ".a";

    JsApiReply *plain = m_js->publish(NatsMessage(a, "1"));
    WAIT_OK(plain);
    QCOMPARE(plain->pubAck().stream, name);
    QCOMPARE(plain->pubAck().sequence, 1u);
    QVERIFY(!plain->pubAck().duplicate);
    QVERIFY(plain->pubAck().domain.isEmpty());

    JsPublishOptions expectOne;
    expectOne.expectedLastSubjectSequence = 1;
    JsApiReply *good = m_js->publish(NatsMessage(a, "2"), expectOne);
    WAIT_OK(good);
    QCOMPARE(good->pubAck().sequence, 2u);

    JsApiReply *stale = m_js->publish(NatsMessage(a, "stale"), expectOne);
    WAIT_ERROR(stale, NatsError::WrongLastSequence);
    QCOMPARE(stale->errorInfo().jsErrorCode(), 10071);
    QVERIFY2(stale->errorString().contains(u"wrong last sequence: 2"_s), qPrintable(stale->errorString()));
    JsMessageGetRequest last;
    last.lastBySubject = a;
    JsApiReply *stored = m_js->getMessage(name, last);
    WAIT_OK(stored);
    QCOMPARE(stored->storedMessage().data, "2"_ba); // the refused message changed nothing

    JsPublishOptions none; // 0: the subject must have no message yet
    none.expectedLastSubjectSequence = 0;
    WAIT_OK(m_js->publish(NatsMessage(subject + ".fresh", "f"), none));
    WAIT_ERROR(m_js->publish(NatsMessage(subject + ".fresh", "f"), none), NatsError::WrongLastSequence);

    JsPublishOptions lastSequence;
    lastSequence.expectedLastSequence = 1;
    JsApiReply *wrongLast = m_js->publish(NatsMessage(a, "x"), lastSequence);
    WAIT_ERROR(wrongLast, NatsError::WrongLastSequence);
    lastSequence.expectedLastSequence = 3;
    WAIT_OK(m_js->publish(NatsMessage(a, "x"), lastSequence));

    JsPublishOptions otherStream;
    otherStream.expectedStream = u"OTHER"_s;
    JsApiReply *wrongStream = m_js->publish(NatsMessage(a, "x"), otherStream);
    WAIT_ERROR(wrongStream, NatsError::JetStreamApiError);
    QCOMPARE(wrongStream->errorInfo().jsErrorCode(), 10060);
    otherStream.expectedStream = name;
    WAIT_OK(m_js->publish(NatsMessage(a, "x"), otherStream));

    JsPublishOptions withId;
    withId.messageId = "id-1";
    WAIT_OK(m_js->publish(NatsMessage(a, "x"), withId));
    JsPublishOptions lastId;
    lastId.expectedLastMessageId = "id-0";
    JsApiReply *wrongId = m_js->publish(NatsMessage(a, "x"), lastId);
    WAIT_ERROR(wrongId, NatsError::JetStreamApiError);
    QVERIFY(wrongId->errorInfo().jsErrorCode() != 0);
    lastId.expectedLastMessageId = "id-1";
    WAIT_OK(m_js->publish(NatsMessage(a, "x"), lastId));
}

void tst_JetStreamPublish::publishDeduplicates()
{
    const QString name = unique(u"DD"_s);
    const QByteArray subject = uniqueSubject("dd");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    JsPublishOptions options;
    options.messageId = "order-17";
    JsApiReply *original = m_js->publish(NatsMessage(subject, "first"), options);
    WAIT_OK(original);
    QVERIFY(!original->pubAck().duplicate);
    JsApiReply *again = m_js->publish(NatsMessage(subject, "second"), options);
    WAIT_OK(again);
    QVERIFY(again->pubAck().duplicate);
    QCOMPARE(again->pubAck().sequence, original->pubAck().sequence);
    JsApiReply *info = m_js->streamInfo(name);
    WAIT_OK(info);
    QCOMPARE(info->streamInfo().state.messages, 1u);
}

void tst_JetStreamPublish::publishWithoutStream()
{
    // No stream stores the subject: 503, retried twice 250 ms apart, then "no response from stream".
    QElapsedTimer clock;
    clock.start();
    JsApiReply *reply = m_js->publish(NatsMessage("no.stream.here", "x"));
    WAIT_ERROR(reply, NatsError::NoStreamResponse);
    QVERIFY(clock.elapsed() >= 450);
    QVERIFY(clock.elapsed() < 4000);
    QVERIFY2(reply->errorString().contains(u"no.stream.here"_s), qPrintable(reply->errorString()));
}

void tst_JetStreamPublish::pipelinedPublishes()
{
    // Many publishes in flight at once; each ack must reach the publish it answers.
    constexpr int kMessages = 5000;
    const QString name = unique(u"PP"_s);
    const QByteArray subject = uniqueSubject("pp");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    QElapsedTimer clock;
    clock.start();
    QList<JsApiReply *> replies;
    replies.reserve(kMessages);
    for (int i = 0; i < kMessages; ++i)
        replies.append(m_js->publish(NatsMessage(subject, QByteArray::number(i))));
    QTRY_VERIFY_WITH_TIMEOUT(replies.last()->isFinished(), 30000);
    for (int i = 0; i < kMessages; ++i) {
        QTRY_VERIFY(replies[i]->isFinished());
        QVERIFY2(replies[i]->error() == NatsError::NoError, qPrintable(replies[i]->errorString()));
        // One connection keeps publish order, so the i-th publish is stored at sequence i + 1.
        QCOMPARE(replies[i]->pubAck().sequence, quint64(i + 1));
    }
    qInfo("%d pipelined publishes acknowledged in %lld ms", kMessages, clock.elapsed());
    qDeleteAll(replies);
    for (const quint64 sequence : {1ull, 2500ull, 5000ull}) {
        JsMessageGetRequest get;
        get.sequence = sequence;
        JsApiReply *message = m_js->getMessage(name, get);
        WAIT_OK(message);
        QCOMPARE(message->storedMessage().data, QByteArray::number(sequence - 1));
    }
}

void tst_JetStreamPublish::fullStreamRefuses()
{
    // A stream that discards new messages refuses one over its limit with a 503 (10077): the stream is
    // full, which is not "JetStream not enabled" (as every 503 used to read).
    const QByteArray subject = uniqueSubject("full");
    JsStreamConfig config = memoryStream(unique(u"FULL"_s), {QString::fromUtf8(subject)});
    config.maxMsgs = 1;
    config.discard = u"new"_s;
    QVERIFY(createStream(config));
    WAIT_OK(m_js->publish(NatsMessage(subject, "1")));
    JsApiReply *refused = m_js->publish(NatsMessage(subject, "2"));
    WAIT_ERROR(refused, NatsError::StreamFull);
    QCOMPARE(refused->errorInfo().jsErrorCode(), 10077);
    QVERIFY2(refused->errorString().contains(u"maximum messages exceeded"_s), qPrintable(refused->errorString()));
}

void tst_JetStreamPublish::apiErrors_data()
{
    // The JetStream errors the server sends with HTTP code 503 (server/errors.json): only 10039 and
    // 10076 say JetStream is off; a full stream, a server out of storage, or a code not known here are
    // other failures.
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("errCode");
    QTest::addColumn<QString>("description");
    QTest::addColumn<NatsError::Code>("expected");
    QTest::newRow("not enabled for account")
        << 503 << 10039 << u"JetStream not enabled for account"_s << NatsError::JetStreamNotEnabled;
    QTest::newRow("not enabled") << 503 << 10076 << u"JetStream not enabled"_s << NatsError::JetStreamNotEnabled;
    QTest::newRow("temporarily unavailable")
        << 503 << 10008 << u"JetStream system temporarily unavailable"_s << NatsError::JetStreamUnavailable;
    QTest::newRow("maximum bytes") << 503 << 10077 << u"maximum bytes exceeded"_s << NatsError::StreamFull;
    QTest::newRow("maximum messages") << 503 << 10077 << u"maximum messages exceeded"_s << NatsError::StreamFull;
    QTest::newRow("maximum per subject") << 503 << 10077 << u"maximum messages per subject exceeded"_s
                                         << NatsError::StreamFull;
    QTest::newRow("other store failure") << 503 << 10077 << u"store is closed"_s << NatsError::JetStreamApiError;
    QTest::newRow("insufficient resources")
        << 503 << 10023 << u"insufficient resources"_s << NatsError::InsufficientResources;
    QTest::newRow("insufficient storage")
        << 500 << 10047 << u"insufficient storage resources available"_s << NatsError::InsufficientResources;
    QTest::newRow("insufficient memory") << 500 << 10028 << u"insufficient memory resources available"_s
                                         << NatsError::InsufficientResources;
    QTest::newRow("unknown 503") << 503 << 19999 << u"something new"_s << NatsError::JetStreamApiError;
    QTest::newRow("wrong last sequence") << 400 << 10071 << u"wrong last sequence: 4"_s << NatsError::WrongLastSequence;
    // 2.11+: not done now, and nothing stored: asked again later (KvWriteRetry), never an answer.
    QTest::newRow("a copy with this id in process")
        << 409 << 10158 << u"duplicate message id is in process"_s << NatsError::TryAgain;
    QTest::newRow("last sequence per subject not ready")
        << 503 << 10163 << u"expected last sequence per subject temporarily unavailable"_s << NatsError::TryAgain;
    QTest::newRow("too many requests") << 429 << 10167 << u"too many requests"_s << NatsError::TryAgain;
}

void tst_JetStreamPublish::apiErrors()
{
    QFETCH(int, code);
    QFETCH(int, errCode);
    QFETCH(QString, description);
    QFETCH(NatsError::Code, expected);
    const QJsonObject response{
        {u"error"_s, QJsonObject{{u"code"_s, code}, {u"err_code"_s, errCode}, {u"description"_s, description}}}};
    const NatsError error = JsApiReply::errorFromResponse(response);
    QCOMPARE(error.code(), expected);
    QCOMPARE(error.jsErrorCode(), errCode);
    QVERIFY2(error.message().startsWith(description), qPrintable(error.message()));
}

void tst_JetStreamPublish::ackScan_data()
{
    // The acknowledgement read without a JSON document: what it does not know goes to the full parser.
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("scanned");
    QTest::addColumn<QString>("stream");
    QTest::addColumn<quint64>("sequence");
    QTest::addColumn<bool>("duplicate");
    QTest::addColumn<QString>("domain");
    QTest::newRow("plain") << R"({"stream":"KV_a","seq":42})"_ba << true << u"KV_a"_s << quint64(42) << false
                           << QString();
    QTest::newRow("duplicate, domain, spaces")
        << R"( { "stream" : "S", "domain":"hub", "seq": 18446744073709551615 , "duplicate":true } )"_ba << true
        << u"S"_s << quint64(18446744073709551615ull) << true << u"hub"_s;
    QTest::newRow("error") << R"({"error":{"code":503,"err_code":10077,"description":"x"},"stream":"S","seq":1})"_ba
                           << false << QString() << quint64(0) << false << QString();
    QTest::newRow("escaped stream") << R"({"stream":"S\u0041","seq":1})"_ba << false << QString() << quint64(0) << false
                                    << QString();
    QTest::newRow("no seq") << R"({"stream":"S"})"_ba << false << QString() << quint64(0) << false << QString();
    QTest::newRow("seq overflows") << R"({"stream":"S","seq":18446744073709551616})"_ba << false << QString()
                                   << quint64(0) << false << QString();
    QTest::newRow("truncated") << R"({"stream":"S","seq":1)"_ba << false << QString() << quint64(0) << false
                               << QString();
    QTest::newRow("trailing") << R"({"stream":"S","seq":1}x)"_ba << false << QString() << quint64(0) << false
                              << QString();
    // Not JSON, so not an acknowledgement either (found with fuzz/fuzz_jspuback).
    QTest::newRow("leading zero") << R"({"stream":"S","seq":01})"_ba << false << QString() << quint64(0) << false
                                  << QString();
    QTest::newRow("invalid UTF-8") << "{\"stream\":\"S\xff\",\"seq\":1}"_ba << false << QString() << quint64(0) << false
                                   << QString();
    QTest::newRow("zero") << R"({"stream":"S","seq":0})"_ba << true << u"S"_s << quint64(0) << false << QString();
    QTest::newRow("duplicate of zero") << R"({"stream":"S","seq":0,"duplicate":true})"_ba << true << u"S"_s
                                       << quint64(0) << true << QString();
    // Stream and domain names are shared from one ack to the next while they repeat: each row reads
    // what its own ack says, whatever came before.
    QTest::newRow("again KV_a") << R"({"stream":"KV_a","seq":43,"domain":"hub"})"_ba << true << u"KV_a"_s << quint64(43)
                                << false << u"hub"_s;
    QTest::newRow("KV_b") << R"({"stream":"KV_b","seq":1,"domain":"spoke"})"_ba << true << u"KV_b"_s << quint64(1)
                          << false << u"spoke"_s;
    QTest::newRow("prefix of KV_b") << R"({"stream":"KV_","seq":2})"_ba << true << u"KV_"_s << quint64(2) << false
                                    << QString();
    QTest::newRow("non-ASCII") << "{\"stream\":\"Str\xc3\xb6m\",\"seq\":3}"_ba << true << u"Str\u00f6m"_s << quint64(3)
                               << false << QString();
    QTest::newRow("empty stream") << R"({"stream":"","seq":4})"_ba << true << QString() << quint64(4) << false
                                  << QString();
}

void tst_JetStreamPublish::ackScan()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, scanned);
    JsPubAck ack;
    QCOMPARE(JsPubAck::scan(json, &ack), scanned);
    if (!scanned)
        return;
    QFETCH(QString, stream);
    QFETCH(quint64, sequence);
    QFETCH(bool, duplicate);
    QFETCH(QString, domain);
    QCOMPARE(ack.stream, stream);
    QCOMPARE(ack.sequence, sequence);
    QCOMPARE(ack.duplicate, duplicate);
    QCOMPARE(ack.domain, domain);
    // What a write is told: an acknowledgement of sequence 0 stored nothing (2.10's answer to a copy of a
    // message a cluster is still storing), whether scanned or parsed in full.
    JsPubAck decoded;
    const NatsError error = JsPubAck::decode(json, &decoded);
    QCOMPARE(error.code(), sequence == 0 ? NatsError::TryAgain : NatsError::NoError);
    if (sequence < (quint64(1) << 53)) { // exact as a JSON number that QJsonDocument reads
        const QJsonObject spaced = QJsonDocument::fromJson(json).object();
        QCOMPARE(JsPubAck::decode(QJsonDocument(spaced).toJson(QJsonDocument::Indented), &decoded).code(),
                 error.code());
    }
}

QTEST_GUILESS_MAIN(tst_JetStreamPublish)

#include "tst_jetstreampublish.moc"
