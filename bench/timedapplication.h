#pragma once

#include <QtCore/QCommandLineParser>
#include <QtCore/QStringList>
#include <QtWidgets/QApplication>

// An application that times each event it delivers from the event loop (not the ones sent from within
// another): with a threshold set (the window benchmarks' --turns MS), it keeps the events that took more
// than that much CPU time, with the page faults they caused and whom they went to, to tell which part of
// a turn stalls.
class TimedApplication final : public QApplication
{
public:
    using QApplication::QApplication;

    // Below 0 (the default) nothing is timed.
    void setReportAboveMs(double ms) { m_reportAboveMs = ms; }
    // The benchmarks' --turns MS: added to parser before it processes the arguments, read after.
    static void addTurnsOption(QCommandLineParser *parser);
    void readTurnsOption(const QCommandLineParser &parser);
    // The slow events since the last call, one line each, in the order they came.
    QStringList takeSlowEvents() { return std::exchange(m_slowEvents, {}); }

    bool notify(QObject *receiver, QEvent *event) override;

private:
    static long pageFaults();
    static QString describe(QObject *object);

    double m_reportAboveMs = -1;
    QStringList m_slowEvents;
    int m_depth = 0;
};
