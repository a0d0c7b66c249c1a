#include "cliapplication.h"
#include "natslogging.h"

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kvdesk-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(KVDESK_VERSION));
    // Errors reach the user as one line from the command; the library's own warnings would repeat them.
    // QT_LOGGING_RULES (e.g. "kvdesk.*=true") or a QT_LOGGING_CONF file still turns them on for debugging.
    NatsLogging::setMuted(qEnvironmentVariableIsEmpty("QT_LOGGING_RULES")
                          && qEnvironmentVariableIsEmpty("QT_LOGGING_CONF"));
    CliApplication cli;
    return cli.run(QCoreApplication::arguments());
}
