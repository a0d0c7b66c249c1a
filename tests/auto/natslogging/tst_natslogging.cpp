#include "natslogging.h"

#include <QtCore/QLoggingCategory>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The library's log lines go through kvCDebug()/kvCWarning(): muted (kvdesk-cli without logging rules),
// they do not even look at their category, so Qt never loads its logging rules for lines nobody sees.

namespace {

int g_touched = 0;
QStringList g_lines;

// A category that counts how often a log line asks for it.
const QLoggingCategory &countingCategory()
{
    ++g_touched;
    static const QLoggingCategory category("kvdesk.test.counting", QtDebugMsg);
    return category;
}

void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_lines.append(message);
}

} // namespace

class tst_NatsLogging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void mutedLinesTouchNoCategory();
    void unmutedLinesFollowTheirCategory();
    void mutedWireLogIsOff();

private:
    QtMessageHandler m_previous = nullptr;
};

void tst_NatsLogging::init()
{
    g_touched = 0;
    g_lines.clear();
    m_previous = qInstallMessageHandler(capture);
}

void tst_NatsLogging::cleanup()
{
    qInstallMessageHandler(m_previous);
    NatsLogging::setMuted(false);
}

void tst_NatsLogging::mutedLinesTouchNoCategory()
{
    NatsLogging::setMuted(true);
    QVERIFY(NatsLogging::isMuted());
    int evaluated = 0;
    kvCDebug(countingCategory) << "debug" << ++evaluated;
    kvCWarning(countingCategory) << "warning" << ++evaluated;
    QCOMPARE(g_touched, 0);
    QCOMPARE(evaluated, 0); // the line's arguments are not evaluated either
    QVERIFY(g_lines.isEmpty());
}

void tst_NatsLogging::unmutedLinesFollowTheirCategory()
{
    QVERIFY(!NatsLogging::isMuted()); // the default: a library logs as Qt's own do
    kvCDebug(countingCategory) << "debug line";
    kvCWarning(countingCategory) << "warning line";
    QCOMPARE(g_touched, 2);
    QCOMPARE(g_lines, QStringList({u"debug line"_s, u"warning line"_s}));
}

void tst_NatsLogging::mutedWireLogIsOff()
{
    QLoggingCategory::setFilterRules(u"kvdesk.protocol.wire.debug=true"_s);
    QVERIFY(NatsLogging::wireLogEnabled());
    NatsLogging::setMuted(true);
    QVERIFY(!NatsLogging::wireLogEnabled());
    QLoggingCategory::setFilterRules({});
}

QTEST_GUILESS_MAIN(tst_NatsLogging)
#include "tst_natslogging.moc"
