#pragma once

#include <QtCore/QIODevice>

class CliOutput;

// stdout as a QIODevice for the jobs that write to one (export), through the command line's CliOutput:
// its buffering, and its record of a write that failed. A write fails (-1, with the reason as the
// errorString()) once stdout cannot be written, so the job stops there.
class CliStdoutDevice final : public QIODevice
{
    Q_OBJECT

public:
    explicit CliStdoutDevice(CliOutput *out, QObject *parent = nullptr);

    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    CliOutput *m_out;
};
