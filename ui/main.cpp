#include "appearance.h"
#include "mainwindow.h"

#include <QtCore/QCommandLineParser>
#include <QtGui/QIcon>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"kvdesk"_s);
    QApplication::setApplicationName(u"kvdesk"_s);
    QApplication::setApplicationDisplayName(u"kvdesk"_s);
    QApplication::setApplicationVersion(QStringLiteral(KVDESK_VERSION));
    QApplication::setDesktopFileName(u"io.github.kvdesk.kvdesk"_s);
    // The installed hicolor icons (every size, packaging/) first, the compiled-in SVG otherwise.
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.kvdesk.kvdesk"_s, QIcon(u":/icons/kvdesk.svg"_s)));
    Appearance::apply(Appearance::savedTheme());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Browse and edit NATS JetStream Key/Value buckets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(
        u"server"_s,
        QApplication::translate("main", "Connect to the NATS server at <url> (or servers: comma separated URLs)."),
        u"url"_s);
    const QCommandLineOption bucket(u"bucket"_s, QApplication::translate("main", "Open bucket <name> once connected."),
                                    u"name"_s);
    const QCommandLineOption local(u"local"_s,
                                   QApplication::translate("main", "Start and open the app-owned local nats-server."));
    parser.addOptions({server, bucket, local});
    parser.process(app);

    if (parser.isSet(server) && parser.isSet(local)) {
        fputs(qPrintable(QApplication::translate("main", "kvdesk: --server and --local cannot be used together.\n")),
              stderr);
        return 2;
    }

    MainWindow window;
    window.show();
    window.start({parser.value(server), parser.value(bucket), parser.isSet(local)});
    return app.exec();
}
