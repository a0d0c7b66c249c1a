#include "natspermissions.h"

#include <QtCore/QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QByteArrayList patterns(const QJsonValue &value)
{
    QByteArrayList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &pattern : array) {
        if (!pattern.toString().isEmpty())
            list.append(pattern.toString().toUtf8());
    }
    return list;
}

NatsPermissions::Rules rulesFrom(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    return {patterns(object.value("allow"_L1)), patterns(object.value("deny"_L1))};
}

// The tokens of a subject or pattern, one at a time, as views into it: matching allocates nothing.
// Like split('.'), an empty text has one empty token and a dot at the end is followed by one.
class Tokens
{
public:
    explicit Tokens(QByteArrayView text)
        : m_rest(text)
    {
    }
    bool atEnd() const { return m_atEnd; }
    bool next(QByteArrayView *token)
    {
        if (m_atEnd)
            return false;
        const qsizetype dot = m_rest.indexOf('.');
        if (dot < 0) {
            *token = m_rest;
            m_atEnd = true;
        } else {
            *token = m_rest.first(dot);
            m_rest = m_rest.sliced(dot + 1);
        }
        return true;
    }

private:
    QByteArrayView m_rest;
    bool m_atEnd = false;
};

// Two subjects or patterns side by side, token by token: the first one leads.
class TokenPairs
{
public:
    TokenPairs(QByteArrayView a, QByteArrayView b)
        : m_first(a)
        , m_second(b)
    {
    }
    // The next token of the first (false when it has none left) and of the second, if it has one.
    bool next()
    {
        if (!m_first.next(&first))
            return false;
        hasSecond = m_second.next(&second);
        return true;
    }
    bool firstEnded() const { return m_first.atEnd(); }
    bool secondEnded() const { return m_second.atEnd(); }

    QByteArrayView first;
    QByteArrayView second;
    bool hasSecond = false;

private:
    Tokens m_first;
    Tokens m_second;
};

bool anyMatches(const QByteArrayList &list, const QByteArray &subject)
{
    return std::any_of(list.cbegin(), list.cend(),
                       [&subject](const QByteArray &pattern) { return NatsPermissions::matches(pattern, subject); });
}

} // namespace

NatsPermissions NatsPermissions::fromJson(const QJsonObject &permissions)
{
    NatsPermissions result;
    result.m_known = true;
    // The server leaves out what is not restricted: no "publish" key, or one without "allow".
    result.m_publish = rulesFrom(permissions.value("publish"_L1));
    result.m_subscribe = rulesFrom(permissions.value("subscribe"_L1));
    return result;
}

NatsPermissions NatsPermissions::unrestricted()
{
    return fromJson({});
}

bool NatsPermissions::isRestricted() const
{
    return m_known
        && !(m_publish.allow.isEmpty() && m_publish.deny.isEmpty() && m_subscribe.allow.isEmpty()
             && m_subscribe.deny.isEmpty());
}

bool NatsPermissions::allowed(const Rules &rules, const QByteArray &subject)
{
    if (!rules.allow.isEmpty() && !anyMatches(rules.allow, subject))
        return false;
    return !anyMatches(rules.deny, subject);
}

bool NatsPermissions::mayPublish(const QByteArray &subject) const
{
    return !m_known || allowed(m_publish, subject);
}

bool NatsPermissions::maySubscribe(const QByteArray &subject) const
{
    return !m_known || allowed(m_subscribe, subject);
}

bool NatsPermissions::mayPublishSome(const QByteArray &pattern) const
{
    if (!m_known)
        return true;
    const bool someAllowed = m_publish.allow.isEmpty()
        || std::any_of(m_publish.allow.cbegin(), m_publish.allow.cend(),
                       [&pattern](const QByteArray &allow) { return overlaps(allow, pattern); });
    const bool allDenied = std::any_of(m_publish.deny.cbegin(), m_publish.deny.cend(),
                                       [&pattern](const QByteArray &deny) { return covers(deny, pattern); });
    return someAllowed && !allDenied;
}

bool NatsPermissions::matches(const QByteArray &pattern, const QByteArray &subject)
{
    TokenPairs tokens(pattern, subject);
    while (tokens.next()) {
        if (tokens.first == ">")
            return tokens.firstEnded() && tokens.hasSecond;
        if (!tokens.hasSecond || (tokens.first != "*" && tokens.first != tokens.second))
            return false;
    }
    return tokens.secondEnded();
}

bool NatsPermissions::overlaps(const QByteArray &a, const QByteArray &b)
{
    TokenPairs tokens(a, b);
    while (tokens.next()) {
        if (!tokens.hasSecond)
            return false; // a has more tokens
        if (tokens.first == ">" || tokens.second == ">")
            return true; // both have a token here, and ">" takes it and whatever follows
        if (tokens.first != "*" && tokens.second != "*" && tokens.first != tokens.second)
            return false;
    }
    return tokens.secondEnded(); // as many tokens in both
}

bool NatsPermissions::covers(const QByteArray &wider, const QByteArray &narrower)
{
    TokenPairs tokens(wider, narrower);
    while (tokens.next()) {
        if (tokens.first == ">")
            return tokens.hasSecond;
        if (!tokens.hasSecond)
            return false;
        if (tokens.first == "*") {
            if (tokens.second == ">")
                return false; // ">" stands for several tokens, "*" for one
            continue;
        }
        if (tokens.first != tokens.second)
            return false;
    }
    return tokens.secondEnded();
}
