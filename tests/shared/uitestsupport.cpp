#include "uitestsupport.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QTemporaryDir>

using namespace Qt::StringLiterals;

namespace {

QTemporaryDir *homeDir()
{
    static QTemporaryDir dir;
    return &dir;
}

} // namespace

namespace UiTest {

void useThrowAwayHome(const QString &applicationName)
{
    qputenv("XDG_CONFIG_HOME", homeDir()->filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", homeDir()->filePath(u"data"_s).toUtf8());
    QCoreApplication::setOrganizationName(u"kvdesk-test"_s);
    QCoreApplication::setApplicationName(applicationName);
}

QString throwAwayHome()
{
    return homeDir()->path();
}

} // namespace UiTest
