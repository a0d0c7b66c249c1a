#include "clipipereader.h"

#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
constexpr qint64 kChunk = 64 * 1024;
} // namespace

CliPipeReader::CliPipeReader(int descriptor, QObject *parent)
    : QIODevice(parent)
    , m_descriptor(descriptor)
{
}

CliPipeReader::~CliPipeReader() = default;

bool CliPipeReader::isStream(int descriptor)
{
    struct stat status = {};
    if (fstat(descriptor, &status) != 0)
        return false;
    return S_ISFIFO(status.st_mode) || S_ISSOCK(status.st_mode) || S_ISCHR(status.st_mode);
}

bool CliPipeReader::open(OpenMode mode)
{
    if ((mode & WriteOnly) || m_descriptor < 0)
        return false;
    const int flags = fcntl(m_descriptor, F_GETFL);
    if (flags < 0 || fcntl(m_descriptor, F_SETFL, flags | O_NONBLOCK) < 0) {
        setErrorString(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    m_notifier = new QSocketNotifier(qintptr(m_descriptor), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &CliPipeReader::readAvailable);
    return QIODevice::open(mode);
}

void CliPipeReader::readAvailable()
{
    bool arrived = false;
    while (!m_closed && m_buffer.size() < MaxBuffered) {
        const qsizetype before = m_buffer.size();
        m_buffer.resize(before + kChunk);
        const ssize_t got = ::read(m_descriptor, m_buffer.data() + before, size_t(kChunk));
        m_buffer.resize(before + qMax<ssize_t>(got, 0));
        if (got > 0) {
            arrived = true;
            continue;
        }
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            setErrorString(QString::fromLocal8Bit(strerror(errno)));
        m_closed = true; // EOF, or a read error: nothing more will come
    }
    // Full: wait until the consumer has read some (readData turns the notifier back on).
    m_notifier->setEnabled(!m_closed && m_buffer.size() < MaxBuffered);
    if (arrived)
        Q_EMIT readyRead();
    if (m_closed)
        Q_EMIT readChannelFinished();
}

qint64 CliPipeReader::bytesAvailable() const
{
    return m_buffer.size() + QIODevice::bytesAvailable();
}

bool CliPipeReader::canReadLine() const
{
    return m_buffer.contains('\n') || QIODevice::canReadLine();
}

bool CliPipeReader::atEnd() const
{
    return m_closed && bytesAvailable() == 0;
}

qint64 CliPipeReader::readData(char *data, qint64 maxSize)
{
    const qint64 taken = qMin<qint64>(maxSize, m_buffer.size());
    if (taken == 0)
        return m_closed ? -1 : 0;
    memcpy(data, m_buffer.constData(), size_t(taken));
    m_buffer.remove(0, taken);
    if (m_notifier && !m_closed && m_buffer.size() < MaxBuffered)
        m_notifier->setEnabled(true);
    return taken;
}

qint64 CliPipeReader::writeData(const char *, qint64)
{
    return -1;
}
