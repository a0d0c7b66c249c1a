#include "fuzzsupport.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStringList>

// The main of a fuzz target in the regular (g++) test build: runs LLVMFuzzerTestOneInput once on every
// file of the folders (or on the files) given, as libFuzzer does when given them, so the committed corpus
// and every crash found and fixed are replayed by CTest without clang. No input at all is a failure: a
// replay of nothing would pass whatever the target does.

extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

namespace {

QStringList inputFiles(int argc, char **argv)
{
    QStringList files;
    for (int i = 1; i < argc; ++i) {
        const QString path = QString::fromLocal8Bit(argv[i]);
        if (!QFileInfo(path).isDir()) {
            files.append(path);
            continue;
        }
        const QDir dir(path);
        for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden, QDir::Name))
            files.append(dir.filePath(name));
    }
    return files;
}

} // namespace

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    const QStringList files = inputFiles(argc, argv);
    if (files.isEmpty()) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE... (no input found)\n", argv[0]);
        return 1;
    }
    qint64 bytes = 0;
    for (const QString &path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
            return 1;
        }
        const QByteArray input = file.readAll();
        bytes += input.size();
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
    }
    std::printf("%s: replayed %lld inputs (%lld bytes)\n",
                qPrintable(QFileInfo(QString::fromLocal8Bit(argv[0])).fileName()), qint64(files.size()), bytes);
    return 0;
}
