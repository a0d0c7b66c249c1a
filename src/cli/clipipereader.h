#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QIODevice>

class QSocketNotifier;

// Reads a pipe or terminal (stdin) without ever blocking the event loop: the descriptor is made
// non-blocking and read when a QSocketNotifier says data arrived, then readyRead(); the producer
// closing its end gives readChannelFinished(). A QFile on stdin blocks in read() until a whole line
// comes, and a slow producer would then freeze the client (PINGs unanswered). Holds at most
// MaxBuffered bytes not yet read by the consumer; past that it stops reading until they are.
class CliPipeReader final : public QIODevice
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CliPipeReader)

public:
    static constexpr qint64 MaxBuffered = 1024 * 1024;

    explicit CliPipeReader(int descriptor, QObject *parent = nullptr);
    ~CliPipeReader() override;

    // Whether descriptor is a pipe, FIFO, socket or terminal (reads of which may wait), not a file.
    static bool isStream(int descriptor);

    bool open(OpenMode mode) override;
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    bool canReadLine() const override;
    bool atEnd() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    void readAvailable();

    int m_descriptor;
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
    bool m_closed = false; // the producer's end is closed (EOF) or failed
};
