#include "valuepaneltestbase.h"

#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnectoptions.h"
#include "valuepanel.h"

#include <QtTest/QTest>
#include <QtWidgets/QPlainTextEdit>

using namespace Qt::StringLiterals;

bool ValuePanelTestBase::startServer(const QString &bucket, const QByteArray &serverConfig)
{
    NatsServerProcess::Options options;
    options.config = serverConfig;
    if (!m_server.start(options)) {
        m_problem = m_server.errorString();
        return false;
    }
    if (!KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv)) {
        m_problem = u"cannot connect to %1"_s.arg(m_server.url());
        return false;
    }
    KvBucketConfig config;
    config.bucket = bucket;
    config.history = 5;
    if (!KvTest::createBucket(m_kv, config)) {
        m_problem = u"cannot create bucket %1"_s.arg(bucket);
        return false;
    }
    m_bucket = m_kv->bucket(config.bucket, this);
    return true;
}

bool ValuePanelTestBase::createPanel()
{
    m_keys = new KeyListModel(this);
    m_keys->load(m_bucket);
    m_panel = new ValuePanel;
    m_panel->resize(600, 400);
    m_panel->show();
    m_panel->setBucket(m_bucket, m_keys, false);
    m_editor = m_panel->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    return m_editor != nullptr;
}

void ValuePanelTestBase::deletePanel()
{
    delete m_panel;
    m_panel = nullptr;
    delete m_keys;
    m_keys = nullptr;
}

bool ValuePanelTestBase::openKey(const QString &key)
{
    m_panel->openKey(key);
    return QTest::qWaitFor([&] { return m_panel->key() == key && m_panel->openedRevision() > 0; }, 10000);
}
