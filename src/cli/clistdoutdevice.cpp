#include "clistdoutdevice.h"

#include "clioutput.h"

CliStdoutDevice::CliStdoutDevice(CliOutput *out, QObject *parent)
    : QIODevice(parent)
    , m_out(out)
{
}

qint64 CliStdoutDevice::readData(char *data, qint64 maxSize)
{
    Q_UNUSED(data)
    Q_UNUSED(maxSize)
    return -1; // write-only
}

qint64 CliStdoutDevice::writeData(const char *data, qint64 size)
{
    m_out->write(QByteArray::fromRawData(data, size)); // appended to its buffer: no copy here
    if (m_out->stdoutFailed()) {
        setErrorString(m_out->stdoutErrorString());
        return -1;
    }
    return size;
}
