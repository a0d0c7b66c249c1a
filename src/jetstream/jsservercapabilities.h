#pragma once

#include "jsaccountinfo.h"
#include "natserror.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

class JetStreamContext;

// What the JetStream server behind a context can do, decided from what the server says (nats-modern.md
// §1.6 and §9), never from a guess: INFO's version for the 2.10 features (no API level exists for them),
// the JetStream API level for 2.11+ ones, from INFO's api_lvl (2.12+) or $JS.API.INFO's api.level (2.11+;
// absent means 0). A feature the server lacks is refused before anything is sent, with a message naming
// what it needs: "per-key TTL needs nats-server 2.11 or newer; nats://127.0.0.1:4222 runs 2.9.10".
class JsServerCapabilities : public QObject
{
    Q_OBJECT

public:
    enum class Feature {
        Compression,       // stream compression "s2" (2.10)
        Metadata,          // stream and consumer metadata (2.10)
        SubjectTransforms, // sources with subject transforms: KV sourcing (2.10)
        FilterSubjects,    // several filters on one consumer (2.10)
        ConsumerActions,   // consumer create "action" (2.10)
        MessageTtl,        // per-message TTL, Nats-TTL (API level 1, 2.11)
        LimitMarkers,      // subject delete markers: marker TTL (API level 1, 2.11)
        BatchGet,          // batch direct get, multi_last, up_to_seq (2.11)
    };
    Q_ENUM(Feature)

    explicit JsServerCapabilities(JetStreamContext *context);
    ~JsServerCapabilities() override;

    // The connected server's version ("2.10.27"), and where it runs (without user info).
    QString serverVersion() const;
    QString serverUrl() const;
    // The JetStream API level, or -1 while it is not known for the server connected to now.
    int apiLevel() const { return m_apiLevel; }
    bool isLevelKnown() const { return m_apiLevel >= 0; }
    // The last $JS.API.INFO answer seen (limits, usage, domain).
    JsAccountInfo accountInfo() const { return m_accountInfo; }

    // Whether the server has the feature. Level features are false while the level is unknown: call
    // whenKnown() first where it matters.
    bool supports(Feature feature) const;
    // The FeatureNotSupported error for a feature the server lacks.
    NatsError refusal(Feature feature) const;
    static QString featureName(Feature feature);
    // "nats-server 2.11 or newer".
    static QString requirement(Feature feature);

    // Runs then once the API level of the server connected to is known (asking $JS.API.INFO once per
    // server; at once when known). A failed request is passed on (JetStream off, timeout). then is dropped
    // when guard is gone.
    void whenKnown(QObject *guard, const std::function<void(const NatsError &error)> &then);
    // Takes the API level from an account-info answer asked for elsewhere.
    void learn(const JsAccountInfo &info);

Q_SIGNALS:
    // The API level became known, or the server changed (a reconnect elsewhere).
    void changed();

private:
    struct Waiter
    {
        QPointer<QObject> guard;
        std::function<void(const NatsError &)> then;
    };

    void onServerInfoChanged();
    void ask();
    void finishWaiting(const NatsError &error);

    QPointer<JetStreamContext> m_context;
    QString m_serverId;
    int m_apiLevel = -1;
    JsAccountInfo m_accountInfo;
    QList<Waiter> m_waiting;
    bool m_asking = false;
};
