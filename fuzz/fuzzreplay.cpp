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

// The files of one argument: the folder's files, or the file itself.
QStringList inputFiles(const QString &path)
{
    if (!QFileInfo(path).isDir())
        return {path};
    QStringList files;
    const QDir dir(path);
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden, QDir::Name))
        files.append(dir.filePath(name));
    return files;
}

} // namespace

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    qint64 count = 0;
    qint64 bytes = 0;
    for (int i = 1; i < argc; ++i) {
        for (const QString &path : inputFiles(QString::fromLocal8Bit(argv[i]))) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
                return 1;
            }
            const QByteArray input = file.readAll();
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
            ++count;
            bytes += input.size();
        }
    }
    if (count == 0) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE... (no input found)\n", argv[0]);
        return 1;
    }
    std::printf("%s: replayed %lld inputs (%lld bytes)\n",
                qPrintable(QFileInfo(QString::fromLocal8Bit(argv[0])).fileName()), count, bytes);
    return 0;
}
