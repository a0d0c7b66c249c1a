#include "jsdeliveryinfo.h"
#include "jsstoredmessage.h"
#include "kventry.h"
#include "kvndjson.h"
#include "kvttl.h"
#include "natsmessage.h"
#include "natsprotocolparser.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTimeZone>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Decoding what nats-server 2.11+ writes on its own: limit markers (Nats-Marker-Reason, no KV-Operation)
// and per-key TTLs (Nats-TTL), from the bytes captured in nats-modern.md §4.2-4.3 and §5.2.
class tst_KvMarkers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void watchedMarkers_data();
    void watchedMarkers();
    void directGetMarker();
    void directGetKeepsOnlyTheMessagesHeaders_data();
    void directGetKeepsOnlyTheMessagesHeaders();
    void raisedTtlOnAValue();
    void clientMarkersStayTheirs();
    void batchHeadersAreNotTheMessages();
    void ttlHeader_data();
    void ttlHeader();
    void ttlToHeader_data();
    void ttlToHeader();
    void ttlMinimum();
    void ndjsonCarriesTtlAndReason();
    void ndjsonRejectsBadTtl();

private:
    static NatsMessage parse(const QByteArray &bytes);
    static KvEntry watched(const QByteArray &bytes);
};

NatsMessage tst_KvMarkers::parse(const QByteArray &bytes)
{
    NatsProtocolParser parser;
    parser.feed(bytes);
    NatsProtocolParser::Op op;
    if (!parser.next(&op) || op.type != NatsProtocolParser::OpType::Msg)
        return {};
    NatsMessage message(op.subject, op.payload, op.replyTo);
    NatsHeaders headers;
    if (op.hasHeaders && NatsHeaders::fromWire(op.headers, &headers))
        message.setHeaders(headers);
    return message;
}

// As KvWatcher makes an entry of a delivery.
KvEntry tst_KvMarkers::watched(const QByteArray &bytes)
{
    const NatsMessage message = parse(bytes);
    JsDeliveryInfo info;
    KvEntry entry;
    if (!JsDeliveryInfo::parse(message.replyTo(), &info))
        return entry;
    entry.key = QString::fromUtf8(message.subject().mid(message.subject().lastIndexOf('.') + 1));
    entry.revision = info.streamSequence;
    entry.created = info.timestamp();
    entry.value = message.data();
    entry.readHeaders(message.headers());
    return entry;
}

void tst_KvMarkers::watchedMarkers_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<quint64>("revision");
    QTest::addColumn<qint64>("ttlNs");
    // §4.3: c1, created with a TTL, expired in a bucket with a 2 s marker TTL.
    QTest::newRow("per-key TTL ran out")
        << "HMSG $KV.TT.c1 1 $JS.ACK.KV_TT.watch.1.7.7.1796194464541526985.0 72 72\r\n"
           "NATS/1.0\r\nNats-Marker-Reason: MaxAge\r\nNats-TTL: 2s\r\nNats-Rollup: sub\r\n\r\n\r\n"_ba
        << quint64(7) << 2000000000LL;
    // §4.3: the only value of m1 aged out of a max_age bucket with a 1 s marker TTL.
    QTest::newRow("bucket max age ran out")
        << "HMSG $KV.MA.m1 2 $JS.ACK.KV_MA.watch.1.2.2.1796194464659243593.0 72 72\r\n"
           "NATS/1.0\r\nNats-Marker-Reason: MaxAge\r\nNats-TTL: 1s\r\nNats-Rollup: sub\r\n\r\n\r\n"_ba
        << quint64(2) << 1000000000LL;
}

void tst_KvMarkers::watchedMarkers()
{
    QFETCH(QByteArray, bytes);
    QFETCH(quint64, revision);
    QFETCH(qint64, ttlNs);
    const KvEntry entry = watched(bytes);
    QCOMPARE(entry.revision, revision);
    // Gone, as a purge: a 2.9-era client would read an empty PUT here.
    QVERIFY(entry.isLimitMarker());
    QVERIFY(entry.isDeleted());
    QCOMPARE(entry.operation, KvEntry::Operation::Purge);
    QCOMPARE(entry.markerReason, "MaxAge"_ba);
    QCOMPARE(entry.operationLabel(), u"EXPIRED (MaxAge)"_s);
    QCOMPARE(entry.operationWord(), u"EXPIRED"_s);
    QCOMPARE(entry.ttlNs, ttlNs);
    QVERIFY(entry.value.isEmpty());
}

void tst_KvMarkers::directGetMarker()
{
    // §4.3: @nats-io/kv's get("k1") after k1 expired: the direct get returns the marker itself.
    const QByteArray bytes
        = "HMSG _INBOX.x.3E3LJIeB 1 192 192\r\nNATS/1.0\r\nNats-Marker-Reason: MaxAge\r\n"
          "Nats-TTL: 2s\r\nNats-Rollup: sub\r\nNats-Stream: KV_JSTTL2\r\nNats-Subject: $KV.JSTTL2.k1\r\n"
          "Nats-Sequence: 5\r\nNats-Time-Stamp: 2026-12-02T06:54:53.500634368Z\r\n\r\n\r\n"_ba;
    JsStoredMessage stored;
    QVERIFY(JsStoredMessage::fromDirectGet(parse(bytes), &stored));
    QCOMPARE(stored.subject, "$KV.JSTTL2.k1"_ba);
    QCOMPARE(stored.sequence, 5u);
    KvEntry entry;
    entry.created = stored.time;
    entry.readHeaders(stored.headers);
    QVERIFY(entry.isDeleted());
    QCOMPARE(entry.operationLabel(), u"EXPIRED (MaxAge)"_s);
    QCOMPARE(entry.ttlNs, 2000000000LL);
    QCOMPARE(entry.expires(), stored.time.addSecs(2));
}

// A direct get's reply carries the stored message's headers and, after them, those DIRECT.GET adds about
// the get (Nats-Stream, -Subject, -Sequence, -Time-Stamp, and in a batch Nats-Num-Pending, -Last-Sequence,
// -UpTo-Sequence): only the first are the message's, in their order, repeated ones included. A message
// republished into the stream from another stream has Nats-Stream... headers of its own (the origin's):
// they stay, and the get's position and subject are read from the server's, the last ones.
void tst_KvMarkers::directGetKeepsOnlyTheMessagesHeaders_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<QByteArray>("added");
    QTest::addColumn<QList<NatsHeaders::Entry>>("kept");
    const QByteArray get = "Nats-Stream: KV_B\r\nNats-Subject: $KV.B.k\r\nNats-Sequence: 9\r\n"
                           "Nats-Time-Stamp: 2026-12-04T18:00:00Z\r\n";
    const QByteArray batch = "Nats-Num-Pending: 3\r\nNats-Last-Sequence: 8\r\nNats-UpTo-Sequence: 12\r\n";
    QTest::newRow("none") << QByteArray() << get << QList<NatsHeaders::Entry>{};
    QTest::newRow("none, batch") << QByteArray() << get + batch << QList<NatsHeaders::Entry>{};
    QTest::newRow("message id") << "Nats-Msg-Id: abc\r\n"_ba << get
                                << QList<NatsHeaders::Entry>{{"Nats-Msg-Id", "abc"}};
    QTest::newRow("several, batch") << "KV-Operation: DEL\r\nX: 1\r\nX: 2\r\n"_ba << get + batch
                                    << QList<NatsHeaders::Entry>{{"KV-Operation", "DEL"}, {"X", "1"}, {"X", "2"}};
    // As nats-server 2.9 stores a message another bucket republished (Nats-Last-Sequence: 0 is the
    // origin's: a single get adds none).
    const QByteArray republished29 = "Nats-Msg-Id: m1\r\nNats-Stream: KV_A\r\nNats-Subject: $KV.A.k\r\n"
                                     "Nats-Sequence: 1\r\nNats-Last-Sequence: 0\r\n"_ba;
    const QList<NatsHeaders::Entry> kept29{{"Nats-Msg-Id", "m1"},
                                           {"Nats-Stream", "KV_A"},
                                           {"Nats-Subject", "$KV.A.k"},
                                           {"Nats-Sequence", "1"},
                                           {"Nats-Last-Sequence", "0"}};
    QTest::newRow("republished") << republished29 << get << kept29;
    QTest::newRow("republished, batch") << republished29 << get + batch << kept29;
    // 2.10+ republishes the origin's time stamp too.
    const QByteArray republished = "Nats-Stream: KV_A\r\nNats-Subject: $KV.A.k\r\nNats-Sequence: 1\r\n"
                                   "Nats-Time-Stamp: 2026-12-04T17:00:00Z\r\nNats-Last-Sequence: 0\r\n"_ba;
    QTest::newRow("republished 2.10, batch") << republished << get + batch
                                             << QList<NatsHeaders::Entry>{{"Nats-Stream", "KV_A"},
                                                                          {"Nats-Subject", "$KV.A.k"},
                                                                          {"Nats-Sequence", "1"},
                                                                          {"Nats-Time-Stamp", "2026-12-04T17:00:00Z"},
                                                                          {"Nats-Last-Sequence", "0"}};
    QTest::newRow("between") << "A: 1\r\n"_ba << get + "B: 2\r\n"_ba + batch
                             << QList<NatsHeaders::Entry>{{"A", "1"}, {"B", "2"}};
}

void tst_KvMarkers::directGetKeepsOnlyTheMessagesHeaders()
{
    QFETCH(QByteArray, stored);
    QFETCH(QByteArray, added);
    QFETCH(QList<NatsHeaders::Entry>, kept);
    const QByteArray block = "NATS/1.0\r\n" + stored + added + "\r\n";
    const QByteArray bytes = "HMSG _INBOX.x.y 1 " + QByteArray::number(block.size()) + ' '
        + QByteArray::number(block.size() + 2) + "\r\n" + block + "v1\r\n";
    JsStoredMessage message;
    QVERIFY(JsStoredMessage::fromDirectGet(parse(bytes), &message));
    QCOMPARE(message.headers.entries(), kept);
    QCOMPARE(message.headers.status(), 0);
    QCOMPARE(message.stream, "KV_B"_ba);
    QCOMPARE(message.subject, "$KV.B.k"_ba);
    QCOMPARE(message.sequence, 9u);
    QCOMPARE(message.time, QDateTime(QDate(2026, 12, 4), QTime(18, 0), QTimeZone::utc()));
    QCOMPARE(message.data, "v1"_ba);
}

void tst_KvMarkers::raisedTtlOnAValue()
{
    // §4.2: a create with "1s" in a history-5 bucket whose marker TTL is 2 s is stored as "Nats-TTL: 2":
    // a value (no marker) whose TTL reads as the stored 2 s, not the requested 1 s.
    const KvEntry entry = watched(
        "HMSG $KV.TT.c1 1 $JS.ACK.KV_TT.watch.1.1.1.1796194462540288318.0 65 81\r\n"
        "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 0\r\nNats-TTL: 2\r\n\r\ncreated-with-ttl\r\n"_ba);
    QVERIFY(!entry.isDeleted());
    QVERIFY(!entry.isLimitMarker());
    QCOMPARE(entry.operation, KvEntry::Operation::Put);
    QCOMPARE(entry.value, "created-with-ttl"_ba);
    QCOMPARE(entry.ttlNs, 2000000000LL);
    QCOMPARE(entry.operationLabel(), u"PUT"_s);
}

void tst_KvMarkers::clientMarkersStayTheirs()
{
    // KV-Operation wins over a marker reason (ADR-8/48); a purge with a TTL (§4.4) keeps its TTL;
    // a Remove reason maps to a delete.
    NatsHeaders purge;
    purge.append("KV-Operation", "PURGE");
    purge.append("Nats-Rollup", "sub");
    purge.append("Nats-TTL", "1s");
    KvEntry entry;
    entry.readHeaders(purge);
    QCOMPARE(entry.operation, KvEntry::Operation::Purge);
    QVERIFY(!entry.isLimitMarker());
    QCOMPARE(entry.ttlNs, 1000000000LL);
    QCOMPARE(entry.operationLabel(), u"PURGE"_s);

    NatsHeaders both;
    both.append("KV-Operation", "DEL");
    both.append("Nats-Marker-Reason", "MaxAge");
    entry.readHeaders(both);
    QCOMPARE(entry.operation, KvEntry::Operation::Delete);
    QVERIFY(!entry.isLimitMarker());

    NatsHeaders removed;
    removed.append("Nats-Marker-Reason", "Remove");
    entry.readHeaders(removed);
    QCOMPARE(entry.operation, KvEntry::Operation::Delete);
    QCOMPARE(entry.operationLabel(), u"REMOVED (Remove)"_s);
    QCOMPARE(entry.operationWord(), u"REMOVED"_s);
    QCOMPARE(entry.ttlNs, 0);

    NatsHeaders purged;
    purged.append("Nats-Marker-Reason", "Purge");
    entry.readHeaders(purged);
    QCOMPARE(entry.operation, KvEntry::Operation::Purge);
    QCOMPARE(entry.operationLabel(), u"PURGED (Purge)"_s);
    QCOMPARE(entry.operationWord(), u"PURGED"_s);
}

void tst_KvMarkers::batchHeadersAreNotTheMessages()
{
    // §5.2: a multi_last reply carries the get's own pending/last-sequence counts; they are not the
    // stored message's headers.
    const QByteArray bytes = "HMSG _INBOX.x.NTDkkzaM 7 177 180\r\nNATS/1.0\r\nNats-Stream: KV_BG\r\n"
                             "Nats-Subject: $KV.BG.user.1.name\r\nNats-Sequence: 1\r\n"
                             "Nats-Time-Stamp: 2026-12-02T06:55:38.046070436Z\r\nNats-Num-Pending: 2\r\n"
                             "Nats-Last-Sequence: 0\r\n\r\nBob\r\n"_ba;
    JsStoredMessage stored;
    QVERIFY(JsStoredMessage::fromDirectGet(parse(bytes), &stored));
    QCOMPARE(stored.data, "Bob"_ba);
    QCOMPARE(stored.sequence, 1u);
    QVERIFY(stored.headers.isEmpty());
}

void tst_KvMarkers::ttlHeader_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("ns");
    const qint64 s = 1000000000;
    QTest::newRow("Go duration") << "1s"_ba << true << s;
    QTest::newRow("bare seconds, as the server raises it") << "2"_ba << true << 2 * s;
    QTest::newRow("Go's String() of a minute") << "1m0s"_ba << true << 60 * s;
    QTest::newRow("hours and minutes") << "1h30m"_ba << true << 90 * 60 * s;
    QTest::newRow("fraction") << "1.5s"_ba << true << s + s / 2;
    QTest::newRow("milliseconds") << "1500ms"_ba << true << s + s / 2;
    QTest::newRow("never") << "never"_ba << true << KvTtl::Never;
    QTest::newRow("garbage") << "abc"_ba << false << qint64(0);
    QTest::newRow("negative") << "-1"_ba << false << qint64(0);
    QTest::newRow("empty") << ""_ba << false << qint64(0);
    // Found by fuzzing (natsprotocolparser): more seconds than nanoseconds fit a qint64 overflowed.
    QTest::newRow("seconds past 292 years") << "96194464541"_ba << false << qint64(0);
}

void tst_KvMarkers::ttlHeader()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, valid);
    QFETCH(qint64, ns);
    qint64 parsed = 0;
    QCOMPARE(KvTtl::fromHeader(header, &parsed), valid);
    QCOMPARE(parsed, ns);
}

void tst_KvMarkers::ttlToHeader_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QByteArray>("header");
    const qint64 s = 1000000000;
    // What nats.go sends: time.Duration.String().
    QTest::newRow("1s") << s << "1s"_ba;
    QTest::newRow("1m0s") << 60 * s << "1m0s"_ba;
    QTest::newRow("1h30m0s") << 90 * 60 * s << "1h30m0s"_ba;
    QTest::newRow("1.5s") << s + s / 2 << "1.5s"_ba;
    QTest::newRow("never") << KvTtl::Never << "never"_ba;
}

void tst_KvMarkers::ttlToHeader()
{
    QFETCH(qint64, ns);
    QFETCH(QByteArray, header);
    QCOMPARE(KvTtl::toHeader(ns), header);
    qint64 back = 0;
    QVERIFY(KvTtl::fromHeader(header, &back));
    QCOMPARE(back, ns);
}

void tst_KvMarkers::ttlMinimum()
{
    // §4.1: 0, 500ms and 999ms are refused by the server (10165): refused here before sending.
    QVERIFY(!KvTtl::validate(0).isEmpty());
    QVERIFY(!KvTtl::validate(999000000).isEmpty());
    QVERIFY(KvTtl::validate(KvTtl::MinimumNs).isEmpty());
    QVERIFY(KvTtl::validate(KvTtl::Never).isEmpty());
}

void tst_KvMarkers::ndjsonCarriesTtlAndReason()
{
    KvEntry value;
    value.key = u"temp"_s;
    value.value = "v";
    value.revision = 3;
    value.ttlNs = 1000000000;
    QJsonObject json = KvNdjson::toJson(value);
    QCOMPARE(json.value("ttl"_L1).toInteger(), 1000000000);
    QVERIFY(!json.contains("marker_reason"_L1));
    KvEntry back;
    QString error;
    QVERIFY2(KvNdjson::decode(KvNdjson::encode(value), &back, &error), qPrintable(error));
    QCOMPARE(back.ttlNs, value.ttlNs);

    const KvEntry marker = watched(
        "HMSG $KV.MA.m1 2 $JS.ACK.KV_MA.watch.1.2.2.1796194464659243593.0 72 72\r\n"
        "NATS/1.0\r\nNats-Marker-Reason: MaxAge\r\nNats-TTL: 1s\r\nNats-Rollup: sub\r\n\r\n\r\n"_ba);
    json = KvNdjson::toJson(marker);
    QCOMPARE(json.value("operation"_L1).toString(), u"PURGE"_s);
    QCOMPARE(json.value("marker_reason"_L1).toString(), u"MaxAge"_s);
    QVERIFY(KvNdjson::decode(KvNdjson::encode(marker), &back, &error));
    QVERIFY(back.isLimitMarker());
    QVERIFY(back.isDeleted());

    KvEntry plain;
    plain.key = u"k"_s;
    QVERIFY(!KvNdjson::toJson(plain).contains("ttl"_L1));
}

void tst_KvMarkers::ndjsonRejectsBadTtl()
{
    KvEntry entry;
    QString error;
    QVERIFY(!KvNdjson::decode(R"({"key":"k","value":"v","ttl":"1s"})", &entry, &error));
    QVERIFY2(error.contains(u"ttl"_s) && error.contains(u"\"k\""_s), qPrintable(error));
    QVERIFY(!KvNdjson::decode(R"({"key":"k","value":"v","ttl":-5})", &entry, &error));
    QVERIFY(KvNdjson::decode(R"({"key":"k","value":"v","ttl":-1})", &entry, &error));
    QCOMPARE(entry.ttlNs, KvTtl::Never);
}

QTEST_GUILESS_MAIN(tst_KvMarkers)

#include "tst_kvmarkers.moc"
