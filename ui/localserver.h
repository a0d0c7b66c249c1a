#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

class QProcess;
class QTimer;

// The app's own nats-server: `nats-server -js` on 127.0.0.1, a free port, its store and log in the
// app's data folder. Started when the local profile connects, stopped when the app quits (and killed
// with the app if it crashes: PR_SET_PDEATHSIG).
class LocalServer final : public QObject
{
    Q_OBJECT

public:
    explicit LocalServer(QObject *parent = nullptr);
    ~LocalServer() override;

    static QString executable();
    QString dataDir() const;
    QString storeDir() const;
    QString logFile() const;

    bool isRunning() const;
    QString url() const { return m_url; }
    QString errorString() const { return m_error; }
    QString log() const;

    // Starts the server unless it runs already; started() or failed() follows.
    void start();
    void stop();

Q_SIGNALS:
    void started(const QString &url);
    void failed(const QString &message);
    void stopped();

private:
    void checkPortsFile();
    void fail(const QString &message);

    QProcess *m_process = nullptr;
    QTimer *m_pollTimer = nullptr;
    QString m_url;
    QString m_error;
    int m_polls = 0;
};
