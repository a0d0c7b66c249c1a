#include "natsnuid.h"

#include <QtCore/QSet>
#include <QtTest/QTest>

#include <cstring>

// NUIDs (nats-io/nuid): 22 base62 characters, a random 12-character prefix and a sequence that grows by
// a random step; unique for message ids (Nats-Msg-Id) and inboxes.
class tst_NatsNuid final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shape();
    void sequence();
    void intoBuffer();
    void inbox();
};

namespace {

bool isBase62(QByteArrayView text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}

quint64 sequenceOf(QByteArrayView id)
{
    quint64 value = 0;
    for (const char c : id.sliced(NatsNuid::PrefixLength)) {
        const int digit = c <= '9' ? c - '0' : c <= 'Z' ? c - 'A' + 10 : c - 'a' + 36;
        value = value * 62 + quint64(digit);
    }
    return value;
}

} // namespace

void tst_NatsNuid::shape()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 20000; ++i) {
        const QByteArray id = NatsNuid::generate();
        QCOMPARE(id.size(), NatsNuid::Length);
        QVERIFY2(isBase62(id), id.constData());
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 20000);
}

// One generator: the prefix stays, the sequence grows by a step of 33 to 333 (until it wraps, which
// 62^10 makes unreachable here).
void tst_NatsNuid::sequence()
{
    NatsNuid nuid;
    QByteArray last = nuid.next();
    for (int i = 0; i < 1000; ++i) {
        const QByteArray id = nuid.next();
        QCOMPARE(id.first(NatsNuid::PrefixLength), last.first(NatsNuid::PrefixLength));
        const quint64 step = sequenceOf(id) - sequenceOf(last);
        QVERIFY2(step >= 33 && step < 333, qPrintable(QString::number(step)));
        last = id;
    }
    // Another generator, another prefix (12 random base62 characters).
    QVERIFY(NatsNuid().next().first(NatsNuid::PrefixLength) != last.first(NatsNuid::PrefixLength));
}

// Written into a buffer: exactly Length characters, nothing around them touched, the next of the same
// generator as next() gives.
void tst_NatsNuid::intoBuffer()
{
    NatsNuid nuid;
    char buffer[NatsNuid::Length + 2];
    std::memset(buffer, '#', sizeof(buffer));
    nuid.next(buffer + 1);
    QCOMPARE(buffer[0], '#');
    QCOMPARE(buffer[NatsNuid::Length + 1], '#');
    const QByteArrayView written(buffer + 1, NatsNuid::Length);
    QVERIFY(isBase62(written));
    const QByteArray following = nuid.next();
    QCOMPARE(following.first(NatsNuid::PrefixLength), written.first(NatsNuid::PrefixLength));
    QVERIFY(sequenceOf(following) > sequenceOf(written));

    std::memset(buffer, '#', sizeof(buffer));
    NatsNuid::generate(buffer);
    QVERIFY(isBase62(QByteArrayView(buffer, NatsNuid::Length)));
    QCOMPARE(buffer[NatsNuid::Length], '#');
}

void tst_NatsNuid::inbox()
{
    const QByteArray inbox = NatsNuid::newInbox();
    QVERIFY(inbox.startsWith("_INBOX."));
    QCOMPARE(inbox.size(), 7 + NatsNuid::Length);
    QVERIFY(isBase62(inbox.sliced(7)));
    QVERIFY(NatsNuid::newInbox() != inbox);
}

QTEST_GUILESS_MAIN(tst_NatsNuid)

#include "tst_natsnuid.moc"
