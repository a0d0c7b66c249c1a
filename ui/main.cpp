#include "appearance.h"
#include "mainwindow.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtGui/QIcon>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

struct Arguments
{
    QString server;
    QString bucket;
    bool local = false;
};

void setNames()
{
    QCoreApplication::setOrganizationName(u"kvdesk"_s);
    QCoreApplication::setApplicationName(u"kvdesk"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(KVDESK_VERSION));
}

// Read before the window's QApplication exists, under a QCoreApplication: --help, --version and a
// wrong option answer in a terminal without a display (QApplication aborts there, before anything).
// Exits as QCommandLineParser does for those; returns the exit status for a refused combination.
int readArguments(int argc, char *argv[], Arguments *arguments)
{
    QCoreApplication core(argc, argv);
    setNames();
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Browse and edit NATS JetStream Key/Value buckets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(
        u"server"_s,
        QCoreApplication::translate("main", "Connect to the NATS server at <url> (or servers: comma separated URLs)."),
        u"url"_s);
    const QCommandLineOption bucket(
        u"bucket"_s, QCoreApplication::translate("main", "Open bucket <name> once connected."), u"name"_s);
    const QCommandLineOption local(
        u"local"_s, QCoreApplication::translate("main", "Start and open the app-owned local nats-server."));
    parser.addOptions({server, bucket, local});
    parser.process(core);

    if (parser.isSet(server) && parser.isSet(local)) {
        fputs(
            qPrintable(QCoreApplication::translate("main", "kvdesk: --server and --local cannot be used together.\n")),
            stderr);
        return 2;
    }
    *arguments = {parser.value(server), parser.value(bucket), parser.isSet(local)};
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    Arguments arguments;
    if (const int refused = readArguments(argc, argv, &arguments))
        return refused;

    QApplication app(argc, argv);
    setNames();
    QApplication::setApplicationDisplayName(u"kvdesk"_s);
    QApplication::setDesktopFileName(u"io.github.kvdesk.kvdesk"_s);
    // The installed hicolor icons (every size, packaging/) first, the compiled-in SVG otherwise.
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.kvdesk.kvdesk"_s, QIcon(u":/icons/kvdesk.svg"_s)));
    Appearance::apply(Appearance::savedTheme());

    MainWindow window;
    window.show();
    window.start({arguments.server, arguments.bucket, arguments.local});
    return app.exec();
}
