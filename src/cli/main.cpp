#include "cliapplication.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kvdesk-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(KVDESK_VERSION));
    // Errors reach the user as one line from the command; the library's own warnings would repeat them.
    // QT_LOGGING_RULES (e.g. "kvdesk.*=true") still turns them on for debugging.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(u"kvdesk.*=false"_s);
    CliApplication cli;
    return cli.run(QCoreApplication::arguments());
}
