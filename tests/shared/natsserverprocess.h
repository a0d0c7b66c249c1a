#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTemporaryDir>

#include <memory>

class QProcess;

// A real nats-server for a test: started as a child process on 127.0.0.1 with a free port and a
// temporary store, stopped (SIGTERM) or killed (SIGKILL) by PID, restartable on the same port and store.
// The child gets PR_SET_PDEATHSIG, so it dies with the test process on every exit path, crashes included.
class NatsServerProcess : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QByteArray config; // written to a file and passed with -c (auth, TLS, cluster...)
        QStringList extraArgs;
        bool jetStream = true;
        int port = -1; // -1: a free port chosen by the server
        QString name;  // label in messages
    };

    explicit NatsServerProcess(QObject *parent = nullptr);
    ~NatsServerProcess() override;

    // The nats-server program: $KVDESK_NATS_SERVER or "nats-server" on PATH.
    static QString executable();
    // The version the program reports ("nats-server: v2.10.27" -> "2.10.27"), or an empty string.
    static QString programVersion();
    // A port free on 127.0.0.1 right now (for cluster routes, which must be known in advance).
    static int freePort();

    // Starts and waits until the server listens. On failure returns false; errorString() says why
    // (nats-server missing, exited, no port reported).
    bool start(const Options &options);
    bool start();
    bool stop();    // SIGTERM, wait for exit
    bool kill();    // SIGKILL, wait for exit
    bool restart(); // same port, store and config
    // SIGSTOP, returning once the process is stopped: it then reads and answers nothing, while its
    // sockets stay open. thaw() sends SIGCONT.
    bool freeze();
    bool thaw();
    // Writes config as the server's config file and has the running server load it (SIGHUP), returning
    // once its log says it did: changed credentials then apply to connections already open.
    bool reload(const QByteArray &config);
    bool isRunning() const;

    QString url() const;    // nats://127.0.0.1:<port>
    QString tlsUrl() const; // tls://localhost:<port>
    int port() const { return m_port; }
    qint64 pid() const;
    QString storeDir() const;
    QString dir() const; // the temporary directory holding config, store and log
    QString log() const; // what the server wrote
    QString errorString() const { return m_error; }

private:
    bool launch();
    bool waitForPortsFile(qint64 pid);

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess *m_process = nullptr;
    Options m_options;
    QString m_error;
    int m_port = -1;
};

// Three JetStream servers with routes between them on loopback (a cluster named for this process and
// cluster, distinct stores).
class NatsClusterProcess : public QObject
{
    Q_OBJECT

public:
    explicit NatsClusterProcess(QObject *parent = nullptr);
    ~NatsClusterProcess() override;

    // Starts all nodes and waits until JetStream answers (a meta leader exists).
    bool start(int nodes = 3);
    NatsServerProcess *node(int index) const { return m_nodes.value(index); }
    int size() const { return int(m_nodes.size()); }
    // "nats://127.0.0.1:a,nats://127.0.0.1:b,..." for the nodes still running.
    QString urls() const;
    QString errorString() const { return m_error; }
    // Its own name: two clusters started side by side (ctest -j) whose free ports crossed would otherwise
    // take each other's nodes as peers of one cluster.
    QString name() const { return m_name; }

    // Waits until a JetStream API request through url gets an answer without error.
    static bool waitForJetStream(const QString &url, int timeoutMs, QString *errorMessage);
    // Waits until a stream replicated on every node can be placed: a node that was just (re)started
    // answers requests before the meta leader counts it as a current peer, and until then an R3
    // create fails with "no suitable peers for placement, peer offline" (10005).
    bool waitForAllPeers(int timeoutMs);

private:
    bool launch(int nodes);

    QList<NatsServerProcess *> m_nodes;
    QString m_error;
    QString m_name;
};
