#include "timedapplication.h"

#include "stallmeter.h"

#include <sys/resource.h>

using namespace Qt::StringLiterals;

bool TimedApplication::notify(QObject *receiver, QEvent *event)
{
    if (m_reportAboveMs < 0 || m_depth > 0)
        return QApplication::notify(receiver, event);
    const QEvent::Type type = event->type(); // the event may be gone afterwards
    const QString who = describe(receiver);
    ++m_depth;
    const qint64 cpu = StallMeter::threadCpuNs();
    const long faults = pageFaults();
    const bool result = QApplication::notify(receiver, event);
    const double ms = double(StallMeter::threadCpuNs() - cpu) / 1e6;
    --m_depth;
    if (ms > m_reportAboveMs)
        m_slowEvents.append(u"%1 ms CPU, %2 page faults: event %3 to %4"_s.arg(ms, 0, 'f', 1)
                                .arg(pageFaults() - faults)
                                .arg(int(type))
                                .arg(who));
    return result;
}

void TimedApplication::addTurnsOption(QCommandLineParser *parser)
{
    parser->addOption(
        QCommandLineOption(u"turns"_s, u"List the events that take more than ms of CPU time."_s, u"ms"_s));
}

void TimedApplication::readTurnsOption(const QCommandLineParser &parser)
{
    if (parser.isSet(u"turns"_s))
        setReportAboveMs(parser.value(u"turns"_s).toDouble());
}

long TimedApplication::pageFaults()
{
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_minflt + usage.ru_majflt;
}

QString TimedApplication::describe(QObject *object)
{
    QString text;
    for (int depth = 0; object && depth < 3; ++depth, object = object->parent())
        text += u"%1%2(%3)"_s.arg(depth ? u" < "_s : QString(), QString::fromLatin1(object->metaObject()->className()),
                                  object->objectName());
    return text;
}
