#pragma once

#include <QtCore/QByteArrayList>
#include <QtCore/QJsonObject>

// A user's publish and subscribe permissions, as $SYS.REQ.USER.INFO reports them (nats-modern.md §7),
// judged by the server's own rules (nats-server client.go canSubscribe, pubAllowedFullCheck): a subject
// is allowed when there is no allow list or an allow pattern matches it, and no deny pattern matches it
// (deny beats allow). Wildcards in the subject asked about are taken as plain tokens, as the server
// does for a SUB: "$KV.b.>" is allowed by "$KV.>" or "$KV.b.*", not by "$KV.b.x".
// Default-constructed, the permissions are unknown (2.9, or the question was refused): then everything
// counts as allowed and the server's -ERR is the judge.
class NatsPermissions
{
public:
    struct Rules
    {
        QByteArrayList allow; // empty: no allow list, everything not denied is allowed
        QByteArrayList deny;
    };

    NatsPermissions() = default;
    // From the "permissions" object of USER.INFO's data; an empty object means unrestricted.
    static NatsPermissions fromJson(const QJsonObject &permissions);
    static NatsPermissions unrestricted();

    bool isKnown() const { return m_known; }
    // Known and with at least one allow or deny list.
    bool isRestricted() const;
    const Rules &publishRules() const { return m_publish; }
    const Rules &subscribeRules() const { return m_subscribe; }

    bool mayPublish(const QByteArray &subject) const;
    bool maySubscribe(const QByteArray &subject) const;
    // Whether at least one subject matching pattern may be published to ("may write some key").
    bool mayPublishSome(const QByteArray &pattern) const;

    // NATS subject matching: pattern's "*" is one token, a final ">" one or more; subject's tokens
    // are literal.
    static bool matches(const QByteArray &pattern, const QByteArray &subject);
    // Whether some subject matches both patterns.
    static bool overlaps(const QByteArray &a, const QByteArray &b);
    // Whether every subject matching narrower also matches wider.
    static bool covers(const QByteArray &wider, const QByteArray &narrower);

private:
    static bool allowed(const Rules &rules, const QByteArray &subject);

    Rules m_publish;
    Rules m_subscribe;
    bool m_known = false;
};
