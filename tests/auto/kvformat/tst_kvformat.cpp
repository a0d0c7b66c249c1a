#include "clitable.h"
#include "kvclientoptions.h"
#include "kvformat.h"
#include "kvnames.h"
#include "kvndjson.h"
#include "natsclicontext.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <ctime>

using namespace Qt::StringLiterals;

// natscli's printing rules (expected values are what natscli prints; durations and sizes are
// tst_kvunits'), the shared NDJSON entry format, and the natscli context reader.
class tst_KvFormat final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void comma();
    void localTimeBytes_data();
    void localTimeBytes();
    void utf8Bytes();
    void valueTextBytes_data();
    void valueTextBytes();
    void table();
    void abbreviateKeepsWholeCharacters();
    void ndjsonRoundTrip_data();
    void ndjsonRoundTrip();
    void ndjsonRawBom();
    void ndjsonKeyThatIsNotUtf8();
    void ndjsonErrors_data();
    void ndjsonErrors();
    void cliContext();
};

void tst_KvFormat::initTestCase()
{
    // A zone with summer time, so a local time is not just the UTC one: both ways of formatting must
    // agree on the offset of each instant.
    qputenv("TZ", "America/New_York");
    ::tzset();
}

void tst_KvFormat::localTimeBytes_data()
{
    QTest::addColumn<qint64>("ms");
    const auto utc = [](int y, int mo, int d, int h, int mi, int s, int ms) {
        return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
    };
    QTest::newRow("epoch") << qint64(0);
    QTest::newRow("now-ish") << utc(2026, 12, 4, 15, 0, 0, 999);
    QTest::newRow("same second again") << utc(2026, 12, 4, 15, 0, 0, 1);
    QTest::newRow("before DST starts") << utc(2026, 3, 8, 6, 59, 59, 500);
    QTest::newRow("after DST starts") << utc(2026, 3, 8, 7, 0, 0, 0);
    QTest::newRow("DST ends, first 1am") << utc(2026, 11, 1, 5, 30, 0, 0);
    QTest::newRow("DST ends, second 1am") << utc(2026, 11, 1, 6, 30, 0, 0);
    QTest::newRow("before 1970") << utc(1969, 12, 31, 23, 59, 59, 1);
    QTest::newRow("year 9999") << utc(9999, 12, 31, 12, 0, 0, 0);
    QTest::newRow("year 1 (not four digits by strftime)") << utc(1, 6, 1, 12, 0, 0, 0);
}

// The watch's bytes are the same as localTime()'s string, instant by instant.
void tst_KvFormat::localTimeBytes()
{
    QFETCH(qint64, ms);
    QByteArray bytes("[");
    KvFormat::appendLocalTime(&bytes, ms);
    QCOMPARE(bytes, '[' + KvFormat::localTime(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)).toUtf8());
}

void tst_KvFormat::utf8Bytes()
{
    QByteArray bytes("k=");
    KvFormat::appendUtf8(&bytes, u"a.b_c-1/=");
    KvFormat::appendUtf8(&bytes, u" caf\u00e9 \U0001F600");
    KvFormat::appendUtf8(&bytes, u"");
    QCOMPARE(bytes, QByteArray("k=a.b_c-1/= caf\xC3\xA9 \xF0\x9F\x98\x80"));
}

void tst_KvFormat::valueTextBytes_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("shown");
    const auto base64 = [](const QByteArray &value) {
        QByteArray shown("(base64) ");
        shown += value.toBase64();
        return shown;
    };
    QTest::newRow("ascii") << QByteArray("plain value") << QByteArray("plain value");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("utf-8") << QByteArray("caf\xC3\xA9 \xF0\x9F\x98\x80") << QByteArray("caf\xC3\xA9 \xF0\x9F\x98\x80");
    QTest::newRow("tab") << QByteArray("a\tb") << QByteArray("a\tb");
    QTest::newRow("no-break space") << QByteArray("a\xC2\xA0z") << QByteArray("a\xC2\xA0z");
    const QList<QByteArray> notText{
        "\xEF\xBB\xBFwith a BOM",
        "\xFF\xFE bad \xC0\x80",
        "\xED\xA0\x80",
        QByteArray("a\0b\nc", 6),
        QByteArray(128, '\0'),
        "first\nsecond",
        "over\rwritten",
        "\x1B[2J\x1B]0;title\x07",
        "del\x7F",
        "C1 CSI \xC2\x9B"
        "2J",
        "cut \xC3",
        "line\xE2\x80\xA8separator", // U+2028: a line break to a terminal or a text viewer
        "para\xE2\x80\xA9separator", // U+2029
        "abc\xE2\x80\xAE"
        "fed",                               // U+202E, right-to-left override: shows "abcdef" turned around
        "isolate \xE2\x81\xA7x\xE2\x81\xA9", // U+2067 ... U+2069, right-to-left isolate
    };
    for (qsizetype i = 0; i < notText.size(); ++i)
        QTest::addRow("not text %d", int(i)) << notText.at(i) << base64(notText.at(i));
}

// A watch line shows a value that is text as it is. Any other value is shown in base64, said so: a
// newline would print what reads as another entry, an escape sequence would be run by the terminal, a
// byte that is not UTF-8 would print as U+FFFD (the same as a real U+FFFD), and a leading byte order mark
// as nothing.
void tst_KvFormat::valueTextBytes()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, shown);
    QByteArray bytes(": ");
    KvFormat::appendValueText(&bytes, value);
    QCOMPARE(bytes, ": " + shown);
}

void tst_KvFormat::comma()
{
    QCOMPARE(KvFormat::comma(1234567), u"1,234,567"_s);
    QCOMPARE(KvFormat::comma(-1000), u"-1,000"_s);
    QCOMPARE(KvFormat::comma(999), u"999"_s);
}

void tst_KvFormat::table()
{
    CliTable table(u"Title"_s);
    table.setHeaders({u"Name"_s, u"Size"_s});
    table.setRightAligned({1});
    table.addRow({u"alpha"_s, u"1 B"_s});
    table.addRow({u"b"_s, u"10 KiB"_s});
    const QString expected
        = u"\u256d\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
          u"\u256e\n"
          u"\u2502     Title      \u2502\n"
          u"\u251c\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u252c\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
          u"\u2524\n"
          u"\u2502 Name  \u2502   Size \u2502\n"
          u"\u251c\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u253c\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
          u"\u2524\n"
          u"\u2502 alpha \u2502    1 B \u2502\n"
          u"\u2502 b     \u2502 10 KiB \u2502\n"
          u"\u2570\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2534\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u256f\n"_s;
    QCOMPARE(table.render(), expected);

    // A cell with control characters (a bucket's description) keeps the table's lines and runs nothing.
    CliTable described;
    described.setHeaders({u"Description"_s});
    described.addRow({u"red \x1B[31mtext\nnext\tline \u009B2J caf\u00e9"_s});
    const QString rendered = described.render();
    QVERIFY2(rendered.contains(u"red \\x1B[31mtext\\x0Anext\\x09line \\x9B2J caf\u00e9"_s), qPrintable(rendered));
    QCOMPARE(rendered.count(u'\n'), 5);

    // Wide characters take two columns of a terminal, combining marks none: the lines still meet.
    CliTable wide(u"History for U1 > a"_s);
    wide.setHeaders({u"Key"_s, u"Value"_s});
    wide.addRow({u"a"_s, u"\u65e5\u672c\u8a9e"_s}); // 日本語
    wide.addRow({u"b"_s, u"cafe\u0301"_s});         // café, with a combining accent
    wide.addRow({u"c"_s, u"plain"_s});
    const auto columns = [](const QString &line) {
        int n = 0;
        for (const char32_t c : line.toUcs4()) {
            if (QChar::category(c) == QChar::Mark_NonSpacing)
                continue;
            n += (c >= 0x4E00 && c <= 0x9FFF) ? 2 : 1;
        }
        return n;
    };
    const QStringList lines = wide.render().split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines)
        QVERIFY2(columns(line) == columns(lines.first()), qPrintable(wide.render()));
}

// A value shortened for a table cell is cut between characters, never inside an emoji's surrogate pair.
void tst_KvFormat::abbreviateKeepsWholeCharacters()
{
    const QString emoji = u"\U0001F600"_s;
    const QString text = QString(14, u'a') + emoji + QString(30, u'b') + emoji + QString(14, u'c');
    const QString shown = KvFormat::abbreviate(text);
    QVERIFY2(QStringView(shown).isValidUtf16(), qPrintable(shown));
    QVERIFY(shown.contains(u"..."_s));
    QVERIFY(shown.size() < text.size());
}

void tst_KvFormat::ndjsonRoundTrip_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("encoding");
    QByteArray everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.append(char(i));
    QTest::newRow("text") << "hello"_ba << u"text"_s;
    QTest::newRow("empty") << QByteArray() << u"text"_s;
    QTest::newRow("unicode") << u"\u2603 snow"_s.toUtf8() << u"text"_s;
    QTest::newRow("nul is text") << QByteArray("a\0b", 3) << u"text"_s;
    QTest::newRow("invalid utf8") << "\xc3\x28"_ba << u"base64"_s;
    QTest::newRow("every byte") << everyByte << u"base64"_s;
    // A byte order mark is part of the value: decoded as text, it was taken for a mark and dropped.
    QTest::newRow("leading bom") << "\xef\xbb\xbf{\"a\":1}"_ba << u"text"_s;
    QTest::newRow("two boms") << "\xef\xbb\xbf\xef\xbb\xbf"_ba << u"text"_s;
    QTest::newRow("only a bom") << "\xef\xbb\xbf"_ba << u"text"_s;
}

void tst_KvFormat::ndjsonRoundTrip()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, encoding);
    KvEntry entry;
    entry.key = u"a.b"_s;
    entry.value = value;
    entry.revision = 42;
    entry.operation = KvEntry::Operation::Put;
    entry.created = QDateTime(QDate(2024, 5, 1), QTime(10, 0, 0, 123), Qt::UTC);
    const QByteArray line = KvNdjson::encode(entry);
    QVERIFY(!line.contains('\n'));
    QVERIFY(line.contains(QByteArray("\"encoding\":\"" + encoding.toUtf8() + '"')));
    QVERIFY(line.contains("\"created\":\"2024-05-01T10:00:00.123Z\""));
    KvEntry decoded;
    QString error;
    QVERIFY2(KvNdjson::decode(line + '\n', &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.key, entry.key);
    QCOMPARE(decoded.value, value);
    QCOMPARE(decoded.revision, 42u);
    QCOMPARE(decoded.created, entry.created);

    entry.operation = KvEntry::Operation::Purge;
    QVERIFY(KvNdjson::decode(KvNdjson::encode(entry), &decoded, &error));
    QCOMPARE(decoded.operation, KvEntry::Operation::Purge);
}

// Lines written by other tools: U+FEFF raw in a string is the value's; a mark before the object is not.
void tst_KvFormat::ndjsonRawBom()
{
    KvEntry decoded;
    QString error;
    QVERIFY2(KvNdjson::decode("{\"key\":\"k\",\"value\":\"\xef\xbb\xbfx\"}"_ba, &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.value, "\xef\xbb\xbfx"_ba);
    QVERIFY2(KvNdjson::decode("\xef\xbb\xbf{\"key\":\"k\",\"value\":\"x\"}"_ba, &decoded, &error), qPrintable(error));
    QCOMPARE(decoded.value, "x"_ba);
}

// A key another client wrote with bytes that are not UTF-8 ("x" and 0xFF) is written with its bytes in
// "key_base64", and read back as the same key; a text key is written as before.
void tst_KvFormat::ndjsonKeyThatIsNotUtf8()
{
    KvEntry entry;
    entry.key = KvNames::keyFromSubject("x\xFF"_ba);
    entry.value = "v"_ba;
    const QByteArray line = KvNdjson::encode(entry);
    QVERIFY2(line.contains(R"("key":"x\\xFF")") && line.contains(R"("key_base64":"eP8=")"), line.constData());
    KvEntry decoded;
    QString error;
    QVERIFY2(KvNdjson::decode(line, &decoded, &error), qPrintable(error));
    QCOMPARE(KvNames::keySubject(decoded.key), "x\xFF"_ba);
    // Another tool's line may have the bytes alone.
    QVERIFY2(KvNdjson::decode(R"({"key_base64":"eP4=","value":"v"})"_ba, &decoded, &error), qPrintable(error));
    QCOMPARE(KvNames::keySubject(decoded.key), "x\xFE"_ba);

    entry.key = u"caf\u00e9"_s;
    QVERIFY(!KvNdjson::encode(entry).contains("key_base64"));
}

void tst_KvFormat::ndjsonErrors_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error");
    QTest::newRow("not json") << "nope"_ba << u"not JSON"_s;
    QTest::newRow("array") << "[1]"_ba << u"not a JSON object"_s;
    QTest::newRow("no key") << R"({"value":"x"})"_ba << u"\"key\" field is missing"_s;
    QTest::newRow("bad base64") << R"({"key":"k","value":"!!","encoding":"base64"})"_ba << u"not valid base64"_s;
    // Cut short (a copy that lost its end): its last bits were dropped, and other bytes written.
    QTest::newRow("truncated base64") << R"({"key":"k","value":"YWJjZ","encoding":"base64"})"_ba
                                      << u"not valid base64"_s;
    QTest::newRow("one base64 char") << R"({"key":"k","value":"c","encoding":"base64"})"_ba << u"not valid base64"_s;
    QTest::newRow("bad encoding") << R"({"key":"k","value":"x","encoding":"hex"})"_ba << u"unknown encoding \"hex\""_s;
    QTest::newRow("bad operation") << R"({"key":"k","operation":"ZAP"})"_ba << u"unknown operation \"ZAP\""_s;
    QTest::newRow("value not string") << R"({"key":"k","value":5})"_ba << u"not a string"_s;
    // Found by fuzz/fuzz_kvndjson: numbers beyond a qint64 were converted to integers regardless (undefined
    // behaviour; on x86 a TTL of INT64_MIN).
    QTest::newRow("ttl too large") << R"({"key":"k","ttl":2e66})"_ba << u"\"ttl\" of key \"k\""_s;
    QTest::newRow("ttl 2^63") << R"({"key":"k","ttl":9223372036854775808})"_ba << u"\"ttl\" of key \"k\""_s;
    QTest::newRow("revision too large") << R"({"key":"k","revision":1e30})"_ba << u"\"revision\" of key \"k\""_s;
    QTest::newRow("revision 2^63") << R"({"key":"k","revision":9223372036854775808})"_ba
                                   << u"\"revision\" of key \"k\""_s;
    // Found by a tryout: each was written without a word, changed or made up.
    QTest::newRow("lone low surrogate") << R"({"key":"k","value":"\udc00\ud800"})"_ba
                                        << u"the value of key \"k\" holds a lone UTF-16 surrogate (\\udc00)"_s;
    QTest::newRow("lone high surrogate") << R"({"key":"k","value":"a\ud800x"})"_ba
                                         << u"the value of key \"k\" holds a lone UTF-16 surrogate (\\ud800)"_s;
    QTest::newRow("no value") << R"({"key":"k"})"_ba << u"the \"value\" of key \"k\" is missing"_s;
    QTest::newRow("no value, a put") << R"({"key":"k","operation":"PUT"})"_ba
                                     << u"the \"value\" of key \"k\" is missing"_s;
    // A tryout: a null value was said to be missing. It is there, and null: what is expected is a string.
    QTest::newRow("null value") << R"({"key":"nul","value":null})"_ba
                                << u"the \"value\" of key \"nul\" is null: a value is a string (an empty one is "
                                   u"\"value\":\"\")"_s;
    QTest::newRow("value twice") << R"({"key":"k","value":"a","value":"b"})"_ba << u"\"value\" twice"_s;
    QTest::newRow("bad key_base64") << R"({"key":"k","key_base64":"!!","value":"v"})"_ba
                                    << u"the \"key_base64\" of key \"k\" is not valid base64 of a key"_s;
    QTest::newRow("key_base64 of another key")
        << R"({"key":"x\\xFE","key_base64":"eP8=","value":"v"})"_ba
        << u"the \"key\" \"x\\xFE\" and the \"key_base64\" (key \"x\\xFF\") name different keys"_s;
    QTest::newRow("lone surrogate key") << R"({"key":"x\udcff","value":"v"})"_ba
                                        << u"the key \"x\\xFF\" holds a lone UTF-16 surrogate (\\udcff)"_s;
    QTest::newRow("key twice") << R"({"key":"k","key":"j","value":"b"})"_ba << u"\"key\" twice"_s;
    // Review 5: the same name written once with an escape was not seen twice, and the last value was
    // written without a word (another reader may take the first).
    QTest::newRow("value twice, once escaped")
        << R"({"key":"d1","value":"first","\u0076alue":"second"})"_ba << u"\"value\" twice"_s;
    QTest::newRow("key twice, escaped both")
        << R"({"\u006bey":"a","k\u0065y":"b","value":"v"})"_ba << u"\"key\" twice"_s;
}

void tst_KvFormat::ndjsonErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    KvEntry entry;
    QString problem;
    QVERIFY(!KvNdjson::decode(line, &entry, &problem));
    QVERIFY2(problem.contains(error), qPrintable(problem));
}

void tst_KvFormat::cliContext()
{
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QCOMPARE(NatsCliContext::configDir(), config.path() + u"/nats"_s);
    QVERIFY(NatsCliContext::contextNames().isEmpty());
    QVERIFY(NatsCliContext::selectedName().isEmpty());

    QVERIFY(QDir().mkpath(config.filePath(u"nats/context"_s)));
    QFile file(config.filePath(u"nats/context/prod.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"description":"production","url":"tls://nats.example:4443","user":"u","password":"p",
                   "creds":"~/prod.creds","nkey":"file:///keys/u.nk","ca":"/etc/ca.pem","jetstream_domain":"hub"})");
    file.close();
    QFile empty(config.filePath(u"nats/context/empty.json"_s)); // listed, and said to be empty when read
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    QFile selected(config.filePath(u"nats/context.txt"_s));
    QVERIFY(selected.open(QIODevice::WriteOnly) && selected.write("prod\n") > 0);
    selected.close();

    // An empty file was left out of the names without a word (the window's import never named it).
    QCOMPARE(NatsCliContext::contextNames(), (QStringList{u"empty"_s, u"prod"_s}));
    QCOMPARE(NatsCliContext::selectedName(), u"prod"_s);
    NatsCliContext context;
    QString error;
    QVERIFY2(NatsCliContext::load(u"prod"_s, &context, &error), qPrintable(error));
    QCOMPARE(context.description, u"production"_s);
    QCOMPARE(context.jetStreamDomain, u"hub"_s);
    const NatsConnectOptions options = context.toConnectOptions();
    QCOMPARE(options.servers.size(), 1);
    QCOMPARE(options.servers.first().scheme(), u"tls"_s);
    QCOMPARE(options.servers.first().port(), 4443);
    QCOMPARE(options.user, u"u"_s);
    QCOMPARE(options.credentialsFile, QDir::homePath() + u"/prod.creds"_s);
    QCOMPARE(options.nkeyFile, u"/keys/u.nk"_s);
    QVERIFY(options.tlsRequired);
    // The one way from a context to a client: its connection options and its JetStream domain.
    const KvClientOptions client = KvClientOptions::fromCliContext(context);
    QCOMPARE(client.connection.serversText, u"tls://nats.example:4443"_s);
    QCOMPARE(client.connection.credentialsFile, options.credentialsFile);
    QCOMPARE(client.jetStreamDomain, u"hub"_s);
    QVERIFY(client.jetStreamApiPrefix.isEmpty());

    QVERIFY(!NatsCliContext::load(u"empty"_s, &context, &error));
    QCOMPARE(error, u"context file %1 is empty"_s.arg(config.filePath(u"nats/context/empty.json"_s)));
    QVERIFY(!NatsCliContext::load(u"missing"_s, &context, &error));
    QVERIFY(error.contains(u"unknown context \"missing\""_s));
    QVERIFY(!NatsCliContext::load(u"../escape"_s, &context, &error));
    QVERIFY(error.contains(u"invalid context name"_s));
    NatsCliContext defaults;
    QCOMPARE(defaults.toConnectOptions().servers.first().toString(), u"nats://127.0.0.1:4222"_s);
}

QTEST_GUILESS_MAIN(tst_KvFormat)
#include "tst_kvformat.moc"
