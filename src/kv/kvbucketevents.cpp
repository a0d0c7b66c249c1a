#include "kvbucketevents.h"

#include "kvnames.h"
#include "natssubscription.h"

#include <QtCore/QTimer>

KvBucketEvents::KvBucketEvents(NatsSubscription *subscription, QObject *parent)
    : QObject(parent)
    , m_subscription(subscription)
{
    if (!subscription) {
        QTimer::singleShot(0, this, [this] {
            fail(NatsError(NatsError::ConnectionClosed, tr("cannot watch buckets: the connection is gone")));
        });
        return;
    }
    connect(subscription, &NatsSubscription::messageReceived, this, &KvBucketEvents::onAdvisory);
    connect(subscription, &NatsSubscription::errorOccurred, this,
            [this, subscription] { fail(NatsError(subscription->error(), subscription->errorString())); });
}

KvBucketEvents::~KvBucketEvents()
{
    delete m_subscription; // unsubscribes
}

void KvBucketEvents::onAdvisory(const NatsMessage &advisory)
{
    // $JS.EVENT.ADVISORY.STREAM.<event>.<stream>: stream names hold no dots, so the last two tokens.
    const QList<QByteArray> tokens = advisory.subject().split('.');
    if (tokens.size() < 2)
        return;
    const QString bucket = KvNames::bucketFromStream(QString::fromUtf8(tokens.last()));
    if (bucket.isEmpty())
        return; // a stream that is no bucket
    const QByteArray event = tokens.at(tokens.size() - 2);
    Change change = Change::Other;
    if (event == "CREATED")
        change = Change::Created;
    else if (event == "UPDATED")
        change = Change::Updated;
    else if (event == "DELETED")
        change = Change::Deleted;
    Q_EMIT bucketChanged(bucket, change);
}

void KvBucketEvents::fail(const NatsError &error)
{
    m_error = error;
    Q_EMIT errorOccurred(error.code());
}
