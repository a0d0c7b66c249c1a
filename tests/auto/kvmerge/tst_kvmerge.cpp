#include "kvjsonmerge.h"
#include "kvmerge.h"
#include "kvmergecases.h"
#include "kvtextmerge.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using Status = KvMergeResult::Status;
using Kind = KvMergeResult::Kind;

// The three-way merge of values: JSON member by member, text by lines (libgit2), binary refused.
class tst_KvMerge final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonMergesCleanly_data();
    void jsonMergesCleanly();
    void jsonConflicts_data();
    void jsonConflicts();
    void jsonChoicesDecideConflicts();
    void jsonKeepsTheCurrentLayoutAndOrder();
    void jsonOnlyOneSideChangedIsThatSideExactly();
    void jsonKeepsBothSidesLinesWhereTheyDoNotMeet();
    void textWithoutOverlapMerges();
    void textWithOverlapIsMarkedAndListed();
    void binaryIsRefusedWithReason_data();
    void binaryIsRefusedWithReason();
    void mergePicksJsonOrText();
};

void tst_KvMerge::jsonMergesCleanly_data()
{
    KvMergeCases::addCleanJsonRows();
}

void tst_KvMerge::jsonMergesCleanly()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, ours);
    QFETCH(QByteArray, theirs);
    QFETCH(QByteArray, expected);
    const KvMergeResult result = KvMerge::merge(base, ours, theirs);
    QCOMPARE(result.kind, Kind::Json);
    QCOMPARE(result.status, Status::Merged);
    QCOMPARE(result.merged, expected);
    QVERIFY(result.conflicts.isEmpty());
}

void tst_KvMerge::jsonConflicts_data()
{
    KvMergeCases::addJsonConflictRows();
}

void tst_KvMerge::jsonConflicts()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, ours);
    QFETCH(QByteArray, theirs);
    QFETCH(QString, where);
    QFETCH(QString, values);
    const KvMergeResult result = KvMerge::merge(base, ours, theirs);
    QCOMPARE(result.kind, Kind::Json);
    QCOMPARE(result.status, Status::Conflicts);
    QCOMPARE(result.conflicts.size(), 1);
    const KvMergeConflict &conflict = result.conflicts.first();
    QCOMPARE(conflict.where, where);
    QCOMPARE(QStringList({KvJsonMerge::oneLine(conflict.base), KvJsonMerge::oneLine(conflict.ours),
                          KvJsonMerge::oneLine(conflict.theirs)})
                 .join(u'|'),
             values);
    QVERIFY(result.merged.isEmpty()); // nothing to save by mistake
}

void tst_KvMerge::jsonChoicesDecideConflicts()
{
    const QByteArray base = R"({"a":1,"b":1,"c":1,"d":1})";
    const QByteArray ours = R"({"a":2,"b":2,"c":1,"d":2})";
    const QByteArray theirs = R"({"a":3,"b":3,"c":3})";
    KvMergeResult result = KvJsonMerge::merge(base, ours, theirs);
    QCOMPARE(result.conflicts.size(), 3); // a, b; c merges; d removed by them, changed by us
    QCOMPARE(result.conflicts[2].where, u"/d"_s);
    result = KvJsonMerge::merge(
        base, ours, theirs,
        {{u"/a"_s, KvJsonMerge::Side::Ours}, {u"/b"_s, KvJsonMerge::Side::Base}, {u"/d"_s, KvJsonMerge::Side::Theirs}});
    QCOMPARE(result.status, Status::Merged);
    QCOMPARE(result.merged, R"({"a":2,"b":1,"c":3})"_ba);
    result = KvJsonMerge::merge(base, ours, theirs, {{u"/a"_s, KvJsonMerge::Side::Ours}});
    QCOMPARE(result.conflicts.size(), 2); // an unanswered conflict stays one
}

void tst_KvMerge::jsonKeepsTheCurrentLayoutAndOrder()
{
    // Theirs is indented (two spaces, CRLF, a trailing newline); ours compact and in another order. Only
    // the object whose members changed is written again, in theirs' layout; untouched members keep their
    // text, nested layout included.
    const QByteArray base = "{\"z\":1,\"a\":{\"k\": [1, 2]},\"m\":\"x\"}";
    const QByteArray ours = "{\"m\":\"ours\",\"a\":{\"k\": [1, 2]},\"z\":1,\"new\":true}";
    const QByteArray theirs = "{\r\n  \"z\" : 2,\r\n  \"a\": {\"k\": [1, 2]},\r\n  \"m\": \"x\"\r\n}\r\n";
    const KvMergeResult result = KvJsonMerge::merge(base, ours, theirs);
    QCOMPARE(result.status, Status::Merged);
    QCOMPARE(result.merged,
             "{\r\n  \"z\" : 2,\r\n  \"a\" : {\"k\": [1, 2]},\r\n  \"m\" : \"ours\",\r\n  \"new\" : true\r\n}\r\n"_ba);

    // A nested object changed on both sides is written in its own layout; the rest stays byte for byte.
    const QByteArray nestedBase = "{\n    \"db\": {\"host\": \"h\", \"port\": 1},\n    \"list\": [ 1,2 ]\n}\n";
    const QByteArray nestedOurs = "{\n    \"db\": {\"host\": \"h2\", \"port\": 1},\n    \"list\": [ 1,2 ]\n}\n";
    const QByteArray nestedTheirs = "{\n    \"db\": {\"host\": \"h\", \"port\": 2},\n    \"list\": [ 1,2 ]\n}\n";
    QCOMPARE(KvJsonMerge::merge(nestedBase, nestedOurs, nestedTheirs).merged,
             "{\n    \"db\": {\"host\": \"h2\", \"port\": 2},\n    \"list\": [ 1,2 ]\n}\n"_ba);
}

void tst_KvMerge::jsonOnlyOneSideChangedIsThatSideExactly()
{
    const QByteArray base = R"({"a":1})";
    const QByteArray reformatted = "{\n  \"a\": 1\n}\n";
    const QByteArray changed = R"({"a":2})";
    QCOMPARE(KvJsonMerge::merge(base, changed, base).merged, changed);
    QCOMPARE(KvJsonMerge::merge(base, base, changed).merged, changed);
    // A layout-only change on one side counts as no change: the other side's bytes.
    QCOMPARE(KvJsonMerge::merge(base, reformatted, changed).merged, changed);
    QCOMPARE(KvJsonMerge::merge(base, changed, reformatted).merged, changed);
    // Nothing changed on one side, byte for byte: the other side exactly, even a layout-only change
    // (fuzz_merge found their reformatting dropped for the base's bytes, to be written back over it).
    QCOMPARE(KvMerge::merge(base, base, reformatted).merged, reformatted);
    QCOMPARE(KvMerge::merge(base, reformatted, base).merged, reformatted);
}

void tst_KvMerge::jsonKeepsBothSidesLinesWhereTheyDoNotMeet()
{
    // Indented JSON where each side changed its own lines: both sides' bytes, layout-only changes included
    // (merged by members alone, a whitespace-only change was taken for no change and dropped).
    const QByteArray base = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}\n";
    const QByteArray ours = "{\n  \"a\":  1,\n  \"b\": 2,\n  \"c\": 3\n}\n";
    const QByteArray theirs = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 4\n}\n";
    const KvMergeResult layoutOnly = KvMerge::merge(base, ours, theirs);
    QCOMPARE(layoutOnly.status, Status::Merged);
    QCOMPARE(layoutOnly.merged, "{\n  \"a\":  1,\n  \"b\": 2,\n  \"c\": 4\n}\n"_ba);
    // Ours changed a value and the layout of another line, theirs a line further down.
    const QByteArray five = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"d\": 4,\n  \"e\": 5\n}\n";
    const QByteArray both = "{\n  \"a\": 9,\n  \"b\":2,\n  \"c\": 3,\n  \"d\": 4,\n  \"e\": 5\n}\n";
    const QByteArray below = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"d\": 4,\n  \"e\": 6\n}\n";
    QCOMPARE(KvMerge::merge(five, both, below).merged,
             "{\n  \"a\": 9,\n  \"b\":2,\n  \"c\": 3,\n  \"d\": 4,\n  \"e\": 6\n}\n"_ba);
    // Lines that merge into text that is not the members' merge (both sides added a member after the same
    // line): by members, as before.
    const QByteArray oursAdds = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"x\": 1\n}\n";
    const QByteArray theirsAdds = "{\n  \"y\": 1,\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}\n";
    const KvMergeResult added = KvMerge::merge(base, oursAdds, theirsAdds);
    QCOMPARE(added.status, Status::Merged);
    QVERIFY(KvJsonMerge::isJson(added.merged));
    QCOMPARE(QJsonDocument::fromJson(added.merged).object(),
             QJsonDocument::fromJson(R"({"y":1,"a":1,"b":2,"c":3,"x":1})").object());
}

void tst_KvMerge::textWithoutOverlapMerges()
{
    const QByteArray base = "one\ntwo\nthree\nfour\nfive\n";
    const QByteArray ours = "ONE\ntwo\nthree\nfour\nfive\n";
    const QByteArray theirs = "one\ntwo\nthree\nfour\nFIVE\nsix\n";
    const KvMergeResult result = KvMerge::merge(base, ours, theirs);
    QCOMPARE(result.kind, Kind::Text);
    QCOMPARE(result.status, Status::Merged);
    QCOMPARE(result.merged, "ONE\ntwo\nthree\nfour\nFIVE\nsix\n"_ba);

    // CRLF lines and no final newline come through unchanged.
    const KvMergeResult crlf = KvMerge::merge("a\r\nb\r\nc\r\nd", "A\r\nb\r\nc\r\nd", "a\r\nb\r\nc\r\nD");
    QCOMPARE(crlf.merged, "A\r\nb\r\nc\r\nD"_ba);
}

void tst_KvMerge::textWithOverlapIsMarkedAndListed()
{
    const QByteArray base = "host=a\nport=1\nuser=u\n";
    const QByteArray ours = "host=a\nport=2\nuser=u\n";
    const QByteArray theirs = "host=a\nport=3\nuser=u2\n";
    const KvMergeResult result = KvMerge::merge(base, ours, theirs, {u"revision 4"_s, u"yours"_s, u"revision 6"_s});
    QCOMPARE(result.kind, Kind::Text);
    QCOMPARE(result.status, Status::Conflicts);
    QCOMPARE(result.merged,
             "host=a\n<<<<<<< yours\nport=2\nuser=u\n||||||| revision 4\nport=1\nuser=u\n=======\nport=3\nuser=u2\n"
             ">>>>>>> revision 6\n"_ba);
    QCOMPARE(result.conflicts.size(), 1);
    QCOMPARE(result.conflicts[0].where, u"line 2"_s);
    QCOMPARE(result.conflicts[0].base, std::optional("port=1\nuser=u\n"_ba));
    QCOMPARE(result.conflicts[0].ours, std::optional("port=2\nuser=u\n"_ba));
    QCOMPARE(result.conflicts[0].theirs, std::optional("port=3\nuser=u2\n"_ba));
}

void tst_KvMerge::binaryIsRefusedWithReason_data()
{
    KvMergeCases::addRefusedRows();
}

void tst_KvMerge::binaryIsRefusedWithReason()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, ours);
    QFETCH(QByteArray, theirs);
    QFETCH(QString, reason);
    const KvMergeResult result = KvMerge::merge(base, ours, theirs);
    QCOMPARE(result.status, Status::Refused);
    QVERIFY2(result.reason.contains(reason), qPrintable(result.reason));
    QVERIFY(result.merged.isEmpty());
}

void tst_KvMerge::mergePicksJsonOrText()
{
    // JSON on all three sides: by members, so a change on the same line of compact JSON still merges.
    QCOMPARE(KvMerge::merge(R"({"a":1,"b":1})", R"({"a":2,"b":1})", R"({"a":1,"b":2})").merged, R"({"a":2,"b":2})"_ba);
    // One side not JSON (a broken edit): by lines, and that same-line change is a conflict.
    const KvMergeResult text = KvMerge::merge(R"({"a":1,"b":1})", R"({"a":2,"b":1)", R"({"a":1,"b":2})");
    QCOMPARE(text.kind, Kind::Text);
    QCOMPARE(text.status, Status::Conflicts);
    // Duplicate member names are not merged as members.
    QVERIFY(!KvJsonMerge::isJson(R"({"a":1,"a":2})"));
    QVERIFY(KvJsonMerge::isJson(" \"s\" "));
    QVERIFY(!KvJsonMerge::isJson("1, 2"));
}

QTEST_GUILESS_MAIN(tst_KvMerge)
#include "tst_kvmerge.moc"
