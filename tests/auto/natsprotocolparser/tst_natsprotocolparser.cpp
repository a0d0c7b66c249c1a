#include "natsheaders.h"
#include "natsprotocolparser.h"

#include <QtTest/QTest>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

using Op = NatsProtocolParser::Op;
using OpType = NatsProtocolParser::OpType;

Q_DECLARE_METATYPE(QList<Op>)

namespace {

Op msg(const QByteArray &subject, quint64 sid, const QByteArray &reply, const QByteArray &payload)
{
    Op op;
    op.type = OpType::Msg;
    op.subject = subject;
    op.sid = sid;
    op.replyTo = reply;
    op.payload = payload;
    return op;
}

Op hmsg(const QByteArray &subject, quint64 sid, const QByteArray &reply, const QByteArray &headers,
        const QByteArray &payload)
{
    Op op = msg(subject, sid, reply, payload);
    op.hasHeaders = true;
    op.headers = headers;
    return op;
}

Op simple(OpType type, const QByteArray &text = {})
{
    Op op;
    op.type = type;
    op.text = text;
    return op;
}

QString describe(const Op &op)
{
    return u"type=%1 subject=%2 sid=%3 reply=%4 hdr=%5[%6] payload=%7 text=%8"_s.arg(int(op.type))
        .arg(QString::fromLatin1(op.subject))
        .arg(op.sid)
        .arg(QString::fromLatin1(op.replyTo))
        .arg(op.hasHeaders)
        .arg(QString::fromLatin1(op.headers.toPercentEncoding()))
        .arg(QString::fromLatin1(op.payload.toPercentEncoding()))
        .arg(QString::fromLatin1(op.text));
}

// Feeds input in chunks of the given sizes (0 = all at once) and collects every operation.
QList<Op> parseInChunks(const QByteArray &input, const QList<qsizetype> &cuts, NatsProtocolParser *parser)
{
    QList<Op> ops;
    qsizetype position = 0;
    QList<qsizetype> points = cuts;
    points.append(input.size());
    for (const qsizetype point : std::as_const(points)) {
        parser->feed(input.mid(position, point - position));
        position = point;
        Op op;
        while (parser->next(&op))
            ops.append(op);
    }
    return ops;
}

} // namespace

class tst_NatsProtocolParser final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validInput_data();
    void validInput();
    void malformedInput_data();
    void malformedInput();
    void controlLineCap();
    void payloadCap();
    void limitChosenByTheClient_data();
    void limitChosenByTheClient();
    void resetClearsError();
    void byteAtATimeLargePayload();
    void headerBlocks_data();
    void headerBlocks();
};

void tst_NatsProtocolParser::validInput_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QList<Op>>("expected");

    // Captures from nats-server 2.9.10 (docs/nats-protocol.md §1.4, §3.4, §4.2, §4.3).
    QTest::newRow("info") << "INFO {\"server_id\":\"x\",\"max_payload\":1048576} \r\n"_ba
                          << QList<Op>{simple(OpType::Info, "{\"server_id\":\"x\",\"max_payload\":1048576}")};
    QTest::newRow("ping pong ok") << "PING\r\nPONG\r\n+OK\r\n"_ba
                                  << QList<Op>{simple(OpType::Ping), simple(OpType::Pong), simple(OpType::Ok)};
    QTest::newRow("lower-case ops") << "ping\r\npong\r\n"_ba << QList<Op>{simple(OpType::Ping), simple(OpType::Pong)};
    QTest::newRow("-ERR strips quotes") << "-ERR 'Authorization Violation'\r\n"_ba
                                        << QList<Op>{simple(OpType::Err, "Authorization Violation")};
    QTest::newRow("msg") << "MSG foo 1 5\r\nhello\r\n"_ba << QList<Op>{msg("foo", 1, {}, "hello")};
    QTest::newRow("msg with reply") << "MSG foo 1 reply.x 0\r\n\r\n"_ba << QList<Op>{msg("foo", 1, "reply.x", {})};
    QTest::newRow("msg two spaces, no reply")
        << "MSG _INBOX.x.y 2  3\r\nabc\r\n"_ba << QList<Op>{msg("_INBOX.x.y", 2, {}, "abc")};
    QTest::newRow("msg tabs") << "MSG\tfoo\t7\t2\r\nhi\r\n"_ba << QList<Op>{msg("foo", 7, {}, "hi")};
    QTest::newRow("binary payload with CRLF inside")
        << "MSG b 3 6\r\n\r\n\0\r\n\x01\r\n"_ba << QList<Op>{msg("b", 3, {}, "\r\n\0\r\n\x01"_ba)};
    QTest::newRow("hmsg") << "HMSG foo 1 36 41\r\nNATS/1.0\r\nA: b\r\nA: c\r\nX-Key: v v\r\n\r\nhello\r\n"_ba
                          << QList<Op>{hmsg("foo", 1, {}, "NATS/1.0\r\nA: b\r\nA: c\r\nX-Key: v v\r\n\r\n", "hello")};
    QTest::newRow("hmsg heartbeat, header only")
        << "HMSG dlv.fc 2  79 79\r\nNATS/1.0 100 Idle Heartbeat\r\n"
           "Nats-Last-Consumer: 200\r\nNats-Last-Stream: 200\r\n\r\n\r\n"_ba
        << QList<Op>{hmsg("dlv.fc", 2, {},
                          "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 200\r\n"
                          "Nats-Last-Stream: 200\r\n\r\n",
                          {})};
    QTest::newRow("hmsg js delivery with ack reply")
        << "HMSG $KV.TEST.name 2 $JS.ACK.KV_TEST.dlhYgiTS.1.4.1.1795623176754330805.0 51 51\r\nNATS/1.0\r\n"
           "KV-Operation: PURGE\r\nNats-Rollup: sub\r\n\r\n\r\n"_ba
        << QList<Op>{hmsg("$KV.TEST.name", 2, "$JS.ACK.KV_TEST.dlhYgiTS.1.4.1.1795623176754330805.0",
                          "NATS/1.0\r\nKV-Operation: PURGE\r\nNats-Rollup: sub\r\n\r\n", {})};
    QTest::newRow("503 no responders") << "HMSG _INBOX.a.b 1  16 16\r\nNATS/1.0 503\r\n\r\n\r\n"_ba
                                       << QList<Op>{hmsg("_INBOX.a.b", 1, {}, "NATS/1.0 503\r\n\r\n", {})};
    QTest::newRow("a sequence") << "PING\r\nMSG a 1 1\r\nx\r\nINFO {} \r\nMSG b 2 r 2\r\nyz\r\nPONG\r\n"_ba
                                << QList<Op>{simple(OpType::Ping), msg("a", 1, {}, "x"), simple(OpType::Info, "{}"),
                                             msg("b", 2, "r", "yz"), simple(OpType::Pong)};
    // The last subject is shared with the next message on it: each message still has its own subject.
    QTest::newRow("same subject, then others")
        << "MSG s.a 1 2\r\nab\r\nMSG s.a 1 r.1 1\r\nc\r\nMSG s.ab 1 0\r\n\r\nMSG s. 1 0\r\n\r\nHMSG s.a 1 12 12\r\n"
           "NATS/1.0\r\n\r\n\r\nMSG s.a 2 1\r\nd\r\n"_ba
        << QList<Op>{msg("s.a", 1, {}, "ab"),
                     msg("s.a", 1, "r.1", "c"),
                     msg("s.ab", 1, {}, {}),
                     msg("s.", 1, {}, {}),
                     hmsg("s.a", 1, {}, "NATS/1.0\r\n\r\n", {}),
                     msg("s.a", 2, {}, "d")};
    QTest::newRow("msg spaces and tabs mixed, trailing blanks")
        << "MSG  a \t 3\t r  4 \t\r\nabcd\r\nMSG a   3 r 1   \r\ne\r\n"_ba
        << QList<Op>{msg("a", 3, "r", "abcd"), msg("a", 3, "r", "e")};
    QTest::newRow("mixed-case ops")
        << "Msg a 1 1\r\nx\r\nhMsG a 2 12 12\r\nNATS/1.0\r\n\r\n\r\npInG\r\nPong\r\n+ok\r\n-Err 'x'\r\niNfO {}\r\n"_ba
        << QList<Op>{msg("a", 1, {}, "x"),      hmsg("a", 2, {}, "NATS/1.0\r\n\r\n", {}),
                     simple(OpType::Ping),      simple(OpType::Pong),
                     simple(OpType::Ok),        simple(OpType::Err, "x"),
                     simple(OpType::Info, "{}")};
    QTest::newRow("large sid") << "MSG a 18446744073709551615 0\r\n\r\n"_ba
                               << QList<Op>{msg("a", 18446744073709551615ULL, {}, {})};
}

void tst_NatsProtocolParser::validInput()
{
    QFETCH(QByteArray, wire);
    QFETCH(QList<Op>, expected);

    // Whole, then split at every offset into two chunks, then one byte at a time.
    QList<QList<qsizetype>> splits{{}};
    for (qsizetype i = 1; i < wire.size(); ++i)
        splits.append(QList<qsizetype>{i});
    QList<qsizetype> everyByte;
    for (qsizetype i = 1; i < wire.size(); ++i)
        everyByte.append(i);
    splits.append(everyByte);

    for (const QList<qsizetype> &cuts : std::as_const(splits)) {
        NatsProtocolParser parser;
        const QList<Op> ops = parseInChunks(wire, cuts, &parser);
        QVERIFY2(!parser.hasError(), qPrintable(parser.errorString()));
        QCOMPARE(ops.size(), expected.size());
        for (qsizetype i = 0; i < ops.size(); ++i)
            QCOMPARE(describe(ops[i]), describe(expected[i]));
        QCOMPARE(parser.bufferedBytes(), 0);
    }
}

void tst_NatsProtocolParser::malformedInput_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("unknown op") << "HELLO world\r\n"_ba << u"unknown protocol operation"_s;
    QTest::newRow("garbage bytes") << "\x01\x02\xff\r\n"_ba << u"unknown protocol operation"_s;
    QTest::newRow("LF without CR") << "PING\n"_ba << u"CRLF"_s;
    QTest::newRow("empty line") << "\r\n"_ba << u"unknown protocol operation"_s;
    QTest::newRow("msg size not a number") << "MSG foo 1 abc\r\nabc\r\n"_ba << u"invalid size"_s;
    QTest::newRow("msg negative size") << "MSG foo 1 -5\r\n"_ba << u"invalid size"_s;
    QTest::newRow("msg too few args") << "MSG foo 5\r\nhello\r\n"_ba << u"MSG with 2 arguments"_s;
    QTest::newRow("msg too many args") << "MSG a 1 r x 5\r\nhello\r\n"_ba << u"MSG with 5 arguments"_s;
    QTest::newRow("msg bad sid") << "MSG foo x1 1\r\na\r\n"_ba << u"invalid subscription id"_s;
    QTest::newRow("payload longer than size") << "MSG foo 1 2\r\nabc\r\n"_ba << u"not followed by CRLF"_s;
    QTest::newRow("payload without CRLF") << "MSG foo 1 3\r\nabcXY"_ba << u"not followed by CRLF"_s;
    QTest::newRow("hmsg header larger than total") << "HMSG foo 1 10 5\r\n"_ba << u"header size 10 larger"_s;
    // Only letters match in either case: '+' and '-' differ from VT and CR by the case bit.
    QTest::newRow("+OK with the case bit") << "\x0bOK\r\n"_ba << u"unknown protocol operation"_s;
    QTest::newRow("-ERR with the case bit") << "\rERR 'x'\r\n"_ba << u"unknown protocol operation"_s;
    QTest::newRow("MSG with a longer name") << "MSGS a 1 1\r\nx\r\n"_ba << u"unknown protocol operation"_s;
    QTest::newRow("MSG with a shorter name") << "MS a 1 1\r\nx\r\n"_ba << u"unknown protocol operation"_s;
    QTest::newRow("msg seven args") << "MSG a 1 r x y z 5\r\nhello\r\n"_ba << u"MSG with 7 arguments"_s;
    QTest::newRow("msg seven args, a tab") << "MSG a 1 r x\ty z 5\r\nhello\r\n"_ba << u"MSG with 7 arguments"_s;
    QTest::newRow("hmsg one size only") << "HMSG foo 1 5\r\nhello\r\n"_ba << u"HMSG with 3 arguments"_s;
    QTest::newRow("info without json") << "INFO\r\n"_ba << u"INFO without"_s;
    QTest::newRow("ping with args") << "PING now\r\n"_ba << u"unexpected arguments"_s;
    QTest::newRow("huge size") << "MSG foo 1 999999999999\r\n"_ba << u"exceeds the limit"_s;
}

void tst_NatsProtocolParser::malformedInput()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, errorContains);

    for (qsizetype cut = 0; cut < wire.size(); ++cut) {
        NatsProtocolParser parser;
        parseInChunks(wire, cut == 0 ? QList<qsizetype>{} : QList<qsizetype>{cut}, &parser);
        QVERIFY2(parser.hasError(), qPrintable(u"no error for cut at %1"_s.arg(cut)));
        QVERIFY2(parser.errorString().contains(errorContains), qPrintable(parser.errorString()));
        // The error is sticky: nothing more comes out, even for valid input.
        parser.feed("PING\r\n");
        Op op;
        QVERIFY(!parser.next(&op));
    }
}

void tst_NatsProtocolParser::controlLineCap()
{
    NatsProtocolParser parser;
    parser.setMaxControlLine(128);
    // No CRLF ever comes: the parser must give up instead of buffering without bound.
    const QByteArray chunk(64, 'A');
    Op op;
    for (int i = 0; i < 4 && !parser.hasError(); ++i) {
        parser.feed(chunk);
        QVERIFY(!parser.next(&op));
    }
    QVERIFY(parser.hasError());
    QVERIFY(parser.errorString().contains(u"longer than 128"_s));
    QCOMPARE(parser.bufferedBytes(), 0);
}

void tst_NatsProtocolParser::payloadCap()
{
    NatsProtocolParser parser;
    parser.setMaxPayload(1024);
    parser.feed("MSG a 1 1024\r\n" + QByteArray(1024, 'x') + "\r\n");
    Op op;
    QVERIFY(parser.next(&op));
    QCOMPARE(op.payload.size(), 1024);
    parser.feed("MSG a 1 1025\r\n");
    QVERIFY(!parser.next(&op));
    QVERIFY(parser.hasError());
    QVERIFY(parser.errorString().contains(u"1025 bytes exceeds the limit of 1024"_s));
}

void tst_NatsProtocolParser::limitChosenByTheClient_data()
{
    QTest::addColumn<qint64>("advertised"); // INFO max_payload

    QTest::newRow("missing") << qint64(0);
    QTest::newRow("negative") << qint64(-1);
    QTest::newRow("4 KiB") << qint64(4096);
    QTest::newRow("1 MiB (default)") << qint64(1024 * 1024);
    QTest::newRow("8 MB") << qint64(8 * 1024 * 1024);
    QTest::newRow("64 MiB") << qint64(64 * 1024 * 1024);
    QTest::newRow("65 MiB") << qint64(65 * 1024 * 1024);
    QTest::newRow("10^12") << qint64(1000000000000);
    QTest::newRow("max qint64") << std::numeric_limits<qint64>::max();
}

void tst_NatsProtocolParser::limitChosenByTheClient()
{
    // The server's INFO does not set how much the client buffers: the limit follows max_payload only
    // up to 64 MiB. Within that, a message of max_payload bytes always fits, even base64-encoded in a
    // STREAM.MSG.GET reply with its headers, and the server's own replies may exceed max_payload.
    QFETCH(qint64, advertised);
    const qsizetype limit = NatsProtocolParser::messageLimitFor(advertised);
    const qint64 honoured = std::clamp<qint64>(advertised, 0, 64 * 1024 * 1024);
    QVERIFY2(limit >= honoured / 3 * 4 + 4 + 64 * 1024, qPrintable(QString::number(limit)));
    QVERIFY(limit >= NatsProtocolParser::DefaultMaxPayload);
    QVERIFY2(limit <= NatsProtocolParser::messageLimitFor(64 * 1024 * 1024), qPrintable(QString::number(limit)));
    QVERIFY2(limit <= 128 * 1024 * 1024, qPrintable(QString::number(limit)));

    // Refused from the control line: nothing of the payload is buffered.
    NatsProtocolParser parser;
    parser.setMaxPayload(limit);
    parser.feed("MSG a 1 " + QByteArray::number(qint64(limit) + 1) + "\r\n" + QByteArray(1024, 'x'));
    Op op;
    QVERIFY(!parser.next(&op));
    QVERIFY(parser.hasError());
    QVERIFY2(parser.errorString().contains(QString::number(qint64(limit) + 1)), qPrintable(parser.errorString()));
    QCOMPARE(parser.bufferedBytes(), 0);
}

void tst_NatsProtocolParser::resetClearsError()
{
    NatsProtocolParser parser;
    parser.feed("BOGUS\r\n");
    Op op;
    QVERIFY(!parser.next(&op));
    QVERIFY(parser.hasError());
    parser.reset();
    QVERIFY(!parser.hasError());
    parser.feed("PONG\r\n");
    QVERIFY(parser.next(&op));
    QCOMPARE(op.type, OpType::Pong);
}

void tst_NatsProtocolParser::byteAtATimeLargePayload()
{
    // A payload arriving in many small reads must come out whole and only once.
    QByteArray payload(200000, '\0');
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(i % 251);
    const QByteArray wire = "MSG big 9 " + QByteArray::number(payload.size()) + "\r\n" + payload + "\r\nPING\r\n";
    NatsProtocolParser parser;
    QList<Op> ops;
    Op op;
    for (qsizetype i = 0; i < wire.size(); i += 97) {
        parser.feed(wire.mid(i, 97));
        while (parser.next(&op))
            ops.append(op);
    }
    QCOMPARE(ops.size(), 2);
    QCOMPARE(ops[0].payload, payload);
    QCOMPARE(ops[1].type, OpType::Ping);
}

void tst_NatsProtocolParser::headerBlocks_data()
{
    QTest::addColumn<QByteArray>("block");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("description");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QList<QByteArray>>("values");

    QTest::newRow("plain") << "NATS/1.0\r\nA: b\r\nA: c\r\nX-Key: v v\r\n\r\n"_ba << true << 0 << QByteArray() << "A"_ba
                           << QList<QByteArray>{"b", "c"};
    QTest::newRow("case preserved and exact") << "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n"_ba << true << 0 << QByteArray()
                                              << "kv-operation"_ba << QList<QByteArray>{};
    QTest::newRow("no responders") << "NATS/1.0 503\r\n\r\n"_ba << true << 503 << QByteArray() << "x"_ba
                                   << QList<QByteArray>{};
    QTest::newRow("heartbeat") << "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 200\r\n\r\n"_ba << true << 100
                               << "Idle Heartbeat"_ba
                               << "Nats-Last-Consumer"_ba << QList<QByteArray>{"200"};
    QTest::newRow("flow control") << "NATS/1.0 100 FlowControl Request\r\n\r\n"_ba << true << 100
                                  << "FlowControl Request"_ba
                                  << "x"_ba << QList<QByteArray>{};
    QTest::newRow("not found") << "NATS/1.0 404 Message Not Found\r\n\r\n"_ba << true << 404 << "Message Not Found"_ba
                               << "x"_ba << QList<QByteArray>{};
    QTest::newRow("no space after colon")
        << "NATS/1.0\r\nA:b\r\n\r\n"_ba << true << 0 << QByteArray() << "A"_ba << QList<QByteArray>{"b"};
    // The names JetStream sends are shared, not copied: each still reads as sent, and names near them
    // (a prefix, another case, one more character) are names of their own.
    QTest::newRow("known names") << "NATS/1.0\r\nNats-Msg-Id: a\r\nNats-Msg-I: b\r\nnats-msg-id: c\r\n"
                                    "Nats-Msg-Idx: d\r\nNats-Msg-Id: e\r\n\r\n"_ba
                                 << true << 0 << QByteArray() << "Nats-Msg-Id"_ba << QList<QByteArray>{"a", "e"};
    QTest::newRow("known name's prefix") << "NATS/1.0\r\nNats-Msg-Id: a\r\nNats-Msg-I: b\r\n\r\n"_ba << true << 0
                                         << QByteArray() << "Nats-Msg-I"_ba << QList<QByteArray>{"b"};
    QTest::newRow("JetStream delivery")
        << "NATS/1.0\r\nNats-Stream: KV_B\r\nNats-Subject: $KV.B.k\r\nNats-Sequence: 7\r\n"
           "Nats-Time-Stamp: 2026-12-04T18:00:00Z\r\nKV-Operation: DEL\r\n\r\n"_ba
        << true << 0 << QByteArray() << "KV-Operation"_ba << QList<QByteArray>{"DEL"};
    // Lines end at CRLF only: a lone LF or CR is part of the line.
    QTest::newRow("lone LF and CR in a value")
        << "NATS/1.0\r\nA: b\nc\rd\r\n\r\n"_ba << true << 0 << QByteArray() << "A"_ba << QList<QByteArray>{"b\nc\rd"};
    QTest::newRow("LF right after CRLF") << "NATS/1.0\r\n\nA: b\r\n\r\n"_ba << true << 0 << QByteArray() << "A"_ba
                                         << QList<QByteArray>{"b"};
    QTest::newRow("only LF line ends") << "NATS/1.0\nA: b\n\n"_ba << false << 0 << QByteArray() << "x"_ba
                                       << QList<QByteArray>{};
    QTest::newRow("wrong version") << "HTTP/1.1 200\r\n\r\n"_ba << false << 0 << QByteArray() << "x"_ba
                                   << QList<QByteArray>{};
    QTest::newRow("line without colon") << "NATS/1.0\r\nbroken\r\n\r\n"_ba << false << 0 << QByteArray() << "x"_ba
                                        << QList<QByteArray>{};
    // What can be read is kept (nats-server stores such a block from any client): the line is skipped.
    QTest::newRow("line without colon among headers") << "NATS/1.0\r\nX-Line-Without-Colon\r\nA: b\r\n: c\r\n\r\n"_ba
                                                      << false << 0 << QByteArray() << "A"_ba << QList<QByteArray>{"b"};
    QTest::newRow("bad status, headers kept")
        << "NATS/1.0 abc\r\nA: b\r\n\r\n"_ba << false << 0 << QByteArray() << "A"_ba << QList<QByteArray>{"b"};
    QTest::newRow("unterminated") << "NATS/1.0\r\nA: b"_ba << false << 0 << QByteArray() << "x"_ba
                                  << QList<QByteArray>{};
    QTest::newRow("bad status") << "NATS/1.0 abc\r\n\r\n"_ba << false << 0 << QByteArray() << "x"_ba
                                << QList<QByteArray>{};
}

void tst_NatsProtocolParser::headerBlocks()
{
    QFETCH(QByteArray, block);
    QFETCH(bool, valid);
    QFETCH(int, status);
    QFETCH(QByteArray, description);
    QFETCH(QByteArray, key);
    QFETCH(QList<QByteArray>, values);

    NatsHeaders headers;
    headers.append("Left-Over", "from before"); // replaced whole, valid block or not
    QCOMPARE(NatsHeaders::fromWire(block, &headers), valid);
    QCOMPARE(headers.status(), status);
    QCOMPARE(headers.statusDescription(), description);
    QCOMPARE(headers.values(key), values);
    QVERIFY(!headers.contains("Left-Over"));
    if (valid && status == 0) {
        // What we parse, we write back byte for byte (modulo the optional space after the colon).
        NatsHeaders again;
        QVERIFY(NatsHeaders::fromWire(headers.toWire(), &again));
        QCOMPARE(again, headers);
    }
}

QTEST_APPLESS_MAIN(tst_NatsProtocolParser)

#include "tst_natsprotocolparser.moc"
