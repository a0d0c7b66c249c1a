#pragma once

#include "natsserverprocess.h"

#include <QtCore/QObject>
#include <QtCore/QString>

class KeyListModel;
class KvBucket;
class KvContext;
class NatsConnection;
class QPlainTextEdit;
class ValuePanel;

// What the value panel's tests share: a real nats-server with one bucket (history 5), and for each test
// function a fresh ValuePanel on that bucket with its key list.
class ValuePanelTestBase : public QObject
{
public:
    using QObject::QObject;

protected:
    // Starts the server (with config, nats-server's configuration text, if any) and makes the bucket;
    // false with the reason in problem().
    bool startServer(const QString &bucket, const QByteArray &config = {});
    // A new panel on the bucket (from init()), and its removal (from cleanup()).
    bool createPanel();
    void deletePanel();
    // Opens key in the panel and waits until it is shown.
    bool openKey(const QString &key);
    QString problem() const { return m_problem; }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
    KeyListModel *m_keys = nullptr;
    ValuePanel *m_panel = nullptr;
    QPlainTextEdit *m_editor = nullptr;

private:
    QString m_problem;
};
