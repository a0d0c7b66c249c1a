#include "kvmergecases.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

void KvMergeCases::addCleanJsonRows()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<QByteArray>("theirs");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("added on both sides") << R"({"a":1})"_ba
                                         << R"({"a":1,"b":2})"_ba
                                         << R"({"a":1,"c":3})"_ba
                                         << R"({"a":1,"c":3,"b":2})"_ba;
    QTest::newRow("removed on one, changed another on the other") << R"({"a":1,"b":2,"c":3})"_ba
                                                                  << R"({"b":2,"c":3})"_ba
                                                                  << R"({"a":1,"b":2,"c":4})"_ba
                                                                  << R"({"b":2,"c":4})"_ba;
    QTest::newRow("removed on both") << R"({"a":1,"b":2})"_ba
                                     << R"({"b":2,"x":0})"_ba
                                     << R"({"b":2})"_ba
                                     << R"({"b":2,"x":0})"_ba;
    QTest::newRow("changed the same way on both") << R"({"a":1,"b":2})"_ba
                                                  << R"({"a":5,"b":2,"n":1})"_ba
                                                  << R"({"a":5,"b":2})"_ba
                                                  << R"({"a":5,"b":2,"n":1})"_ba;
    QTest::newRow("different members changed") << R"({"a":1,"b":2})"_ba
                                               << R"({"a":10,"b":2})"_ba
                                               << R"({"a":1,"b":20})"_ba
                                               << R"({"a":10,"b":20})"_ba;
    QTest::newRow("nested objects") << R"({"db":{"host":"h","port":1},"x":0})"_ba
                                    << R"({"db":{"host":"h2","port":1},"x":0})"_ba
                                    << R"({"db":{"host":"h","port":2},"x":0})"_ba
                                    << R"({"db":{"host":"h2","port":2},"x":0})"_ba;
    QTest::newRow("nested object added on both, different members") << R"({"x":0})"_ba
                                                                    << R"({"x":0,"o":{"a":1}})"_ba
                                                                    << R"({"x":0,"o":{"b":2}})"_ba
                                                                    << R"({"x":0,"o":{"b":2,"a":1}})"_ba;
    QTest::newRow("array changed on one side") << R"({"l":[1,2],"x":0})"_ba
                                               << R"({"l":[1,2,3],"x":0})"_ba
                                               << R"({"l":[1,2],"x":1})"_ba
                                               << R"({"l":[1,2,3],"x":1})"_ba;
    QTest::newRow("array changed the same way on both") << R"({"l":[1],"x":0})"_ba
                                                        << R"({"l":[1,2],"x":0})"_ba
                                                        << R"({"l":[1,2],"x":1})"_ba
                                                        << R"({"l":[1,2],"x":1})"_ba;
    QTest::newRow("number text kept exactly") << R"({"big":1,"x":0})"_ba
                                              << R"({"big":12345678901234567890,"x":0})"_ba
                                              << R"({"big":1,"x":1.50})"_ba
                                              << R"({"big":12345678901234567890,"x":1.50})"_ba;
    QTest::newRow("names needing escapes") << R"({"a/b":1,"t~":2})"_ba
                                           << R"({"a/b":3,"t~":2})"_ba
                                           << R"({"a/b":1,"t~":4})"_ba
                                           << R"({"a/b":3,"t~":4})"_ba;
}

void KvMergeCases::addJsonConflictRows()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<QByteArray>("theirs");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("values"); // base | ours | theirs, one line each

    QTest::newRow("changed differently on both") << R"({"a":1,"b":2})"_ba
                                                 << R"({"a":2,"b":2})"_ba
                                                 << R"({"a":3,"b":2})"_ba << u"/a"_s << u"1|2|3"_s;
    QTest::newRow("removed on one, changed on the other") << R"({"a":1,"b":2})"_ba
                                                          << R"({"b":2})"_ba
                                                          << R"({"a":3,"b":2})"_ba << u"/a"_s << u"1|(absent)|3"_s;
    QTest::newRow("added differently on both") << R"({"b":2})"_ba
                                               << R"({"a":"x","b":2})"_ba
                                               << R"({"a":"y","b":2})"_ba << u"/a"_s << u"(absent)|\"x\"|\"y\""_s;
    QTest::newRow("nested") << R"({"db":{"port":1,"host":"h"}})"_ba
                            << R"({"db":{"port":2,"host":"h"}})"_ba
                            << R"({"db":{"port":3,"host":"h2"}})"_ba << u"/db/port"_s << u"1|2|3"_s;
    QTest::newRow("arrays changed differently") << R"({"l":[1,2],"x":0})"_ba
                                                << R"({"l":[1,2,3],"x":0})"_ba
                                                << R"({"l":[0,1,2],"x":1})"_ba << u"/l"_s << u"[1,2]|[1,2,3]|[0,1,2]"_s;
    QTest::newRow("object against a scalar") << R"({"o":{"a":1}})"_ba
                                             << R"({"o":{"a":2}})"_ba
                                             << R"({"o":5})"_ba << u"/o"_s << u"{\"a\":1}|{\"a\":2}|5"_s;
    QTest::newRow("the whole value") << "1"_ba
                                     << "2"_ba
                                     << "3"_ba << QString() << u"1|2|3"_s;
    QTest::newRow("escaped name") << R"({"a/b~":1})"_ba
                                  << R"({"a/b~":2})"_ba
                                  << R"({"a/b~":3})"_ba << u"/a~1b~0"_s << u"1|2|3"_s;
}

void KvMergeCases::addRefusedRows()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<QByteArray>("theirs");
    QTest::addColumn<QString>("reason");

    QTest::newRow("theirs not UTF-8") << "a"_ba
                                      << "b"_ba
                                      << "\xff\xfe"_ba << u"theirs is not text (it is not UTF-8"_s;
    QTest::newRow("ours has NUL") << "a"_ba << QByteArray("b\0c", 3) << "d"_ba << u"ours is not text (it holds NUL"_s;
    QTest::newRow("base not UTF-8") << "\xc3"_ba
                                    << "b"_ba
                                    << "c"_ba << u"base is not text"_s;
}
