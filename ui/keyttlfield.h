#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QLineEdit>

class KvBucket;
class NatsError;

// A TTL for a key being created or purged (nats-server 2.11+, a bucket with a marker TTL): a duration
// ("30s", "1h", "never"), empty for none. It asks the bucket (KvTtlCheck) whether TTLs can be used at
// all and, where not, is disabled with the reason in its tooltip ("per-key TTL needs nats-server 2.11
// or newer; nats://… runs 2.9.10", or the bucket has no marker TTL).
class KeyTtlField final : public QLineEdit
{
    Q_OBJECT

public:
    explicit KeyTtlField(QWidget *parent = nullptr);

    void setBucket(KvBucket *bucket);
    // The TTL typed, in ns (0: none); false with *problem naming what is wrong with the text.
    bool read(qint64 *ns, QString *problem) const;
    bool isAvailable() const { return m_available; }

Q_SIGNALS:
    void availabilityChanged(bool available);

private:
    QString shortReason(const NatsError &problem) const;

    QPointer<KvBucket> m_bucket;
    bool m_available = false;
};
