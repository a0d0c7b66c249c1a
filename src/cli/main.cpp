#include "cliapplication.h"
#include "natslogging.h"

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

// A command runs for milliseconds and needs sockets and timers only: Qt's own poll() dispatcher serves
// them as the GLib one does and starts about 1.5 ms sooner (a tenth of a one-shot `get`). Chosen the
// way Qt reads it, so an explicit QT_NO_GLIB is left alone, and not passed on to anything started later.
bool preferQtEventDispatcher()
{
    if (!qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
        return false;
    qputenv("QT_NO_GLIB", "1");
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    const bool choseDispatcher = preferQtEventDispatcher();
    QCoreApplication app(argc, argv);
    if (choseDispatcher)
        qunsetenv("QT_NO_GLIB");
    QCoreApplication::setApplicationName(u"kvdesk-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(KVDESK_VERSION));
    // Errors reach the user as one line from the command; the library's own warnings would repeat them.
    // QT_LOGGING_RULES (e.g. "kvdesk.*=true") or a QT_LOGGING_CONF file still turns them on for debugging.
    NatsLogging::setMuted(qEnvironmentVariableIsEmpty("QT_LOGGING_RULES")
                          && qEnvironmentVariableIsEmpty("QT_LOGGING_CONF"));
    CliApplication cli;
    return cli.run(QCoreApplication::arguments());
}
