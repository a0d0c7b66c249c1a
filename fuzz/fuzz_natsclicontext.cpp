#include "fuzzsupport.h"

#include "natsclicontext.h"
#include "natsconnectoptions.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>

// NatsCliContext::loadFile on a natscli context file (the input is the file's content), then what
// kvdesk-cli --context and the app's import do with it: the connect options (server URLs, credential
// and TLS paths) and the URLs as they are shown (user info removed or redacted).

namespace {

QString contextPath()
{
    // In memory where there is a tmpfs: the file is written on every input.
    static QTemporaryDir dir(QFileInfo(QStringLiteral("/dev/shm")).isWritable()
                                 ? QStringLiteral("/dev/shm/kvdesk-fuzz-XXXXXX")
                                 : QDir::tempPath() + QStringLiteral("/kvdesk-fuzz-XXXXXX"));
    static const QString path = dir.filePath(QStringLiteral("fuzz.json"));
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    {
        QFile file(contextPath());
        FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        FUZZ_CHECK(file.write(reinterpret_cast<const char *>(data), qint64(size)) == qint64(size));
    }
    NatsCliContext context;
    QString error;
    if (!NatsCliContext::loadFile(contextPath(), &context, &error)) {
        FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    FUZZ_CHECK(context.name == QLatin1StringView("fuzz"));
    const NatsConnectOptions options = context.toConnectOptions();
    for (const QUrl &server : options.servers)
        FUZZ_CHECK(server.isValid() && !server.host().isEmpty() && server.port() > 0);
    QString userInfo;
    NatsConnectOptions::withoutUserInfo(context.url, &userInfo);
    NatsConnectOptions::redactedUrls(context.url);
    return 0;
}
