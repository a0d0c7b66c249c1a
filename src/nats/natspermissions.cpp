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
    const QByteArrayList p = pattern.split('.');
    const QByteArrayList s = subject.split('.');
    for (qsizetype i = 0; i < p.size(); ++i) {
        if (p[i] == ">")
            return i == p.size() - 1 && s.size() > i;
        if (i >= s.size() || (p[i] != "*" && p[i] != s[i]))
            return false;
    }
    return p.size() == s.size();
}

bool NatsPermissions::overlaps(const QByteArray &a, const QByteArray &b)
{
    const QByteArrayList x = a.split('.');
    const QByteArrayList y = b.split('.');
    for (qsizetype i = 0; i < x.size() && i < y.size(); ++i) {
        if (x[i] == ">" || y[i] == ">")
            return true; // both have a token here, and ">" takes it and whatever follows
        if (x[i] != "*" && y[i] != "*" && x[i] != y[i])
            return false;
    }
    return x.size() == y.size();
}

bool NatsPermissions::covers(const QByteArray &wider, const QByteArray &narrower)
{
    const QByteArrayList w = wider.split('.');
    const QByteArrayList n = narrower.split('.');
    for (qsizetype i = 0; i < w.size(); ++i) {
        if (w[i] == ">")
            return n.size() > i;
        if (i >= n.size())
            return false;
        if (w[i] == "*") {
            if (n[i] == ">")
                return false; // ">" stands for several tokens, "*" for one
            continue;
        }
        if (w[i] != n[i])
            return false;
    }
    return w.size() == n.size();
}
