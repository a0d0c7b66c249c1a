#pragma once

#include "kvbucketconfig.h"

#include <QtCore/QPointer>
#include <QtWidgets/QGroupBox>

class JsServerCapabilities;
class QCheckBox;
class QLabel;
class QLineEdit;

// The bucket settings of newer servers in the bucket dialog: limit markers and per-key TTLs (marker TTL,
// nats-server 2.11+), compression and metadata (2.10+). Each control the connected server lacks is
// disabled, with the reason in its tooltip ("compression needs nats-server 2.10 or newer; nats://… runs
// 2.9.10"); until the server's API level is known the marker TTL waits for it. The metadata the server
// writes itself (_nats.*) is shown apart, read-only.
class BucketFeaturesBox final : public QGroupBox
{
    Q_OBJECT

public:
    explicit BucketFeaturesBox(QWidget *parent = nullptr);

    // What the connected server can do; null (no connection) leaves everything enabled.
    void setServer(JsServerCapabilities *server);
    void setConfig(const KvBucketConfig &config, const QMap<QString, QString> &serverMetadata = {});
    // Applies the fields to config; false with *error naming the problem.
    bool apply(KvBucketConfig *config, QString *error) const;

Q_SIGNALS:
    void changed();

private:
    void updateAvailability();
    void updateNote();

    QPointer<JsServerCapabilities> m_server;
    QLineEdit *m_markerTtl = nullptr;
    QCheckBox *m_compressed = nullptr;
    QLineEdit *m_metadata = nullptr;
    QLineEdit *m_serverMetadata = nullptr;
    QLabel *m_note = nullptr;    // why controls are greyed out, for those who never see a tooltip
    bool m_allowsKeyTtl = false; // the bucket edited already has per-key TTLs (they cannot be turned off)
};
