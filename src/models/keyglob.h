#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QRegularExpression>
#include <QtCore/QString>

// A glob as Redis KEYS takes it ("grp01.k0011*", "*status", "a.b?.[xy]1"): '*' any run of characters,
// dots included, '?' one character, [...] one of a set. NATS filters only know whole-token wildcards, so
// a glob is split: the widest valid NATS filter that holds every match goes to the server (the literal
// tokens before the first glob character, then ">"; nothing when the glob starts with one), and the key
// is matched against the whole glob here.
class KeyGlob final
{
public:
    // Whether text is a glob rather than plain text or a NATS filter: a '?' or '[', or a '*' that is not
    // a whole token ("orders.*" is NATS, "orders*" a glob).
    static bool isGlob(const QString &text);

    // Whether key matches a NATS subject filter: "*" one token, ">" the rest (one token at least), as the
    // server matches a consumer's filter; for a server filter applied to keys already loaded.
    static bool matchesSubject(QByteArrayView filter, QByteArrayView key);

    explicit KeyGlob(const QString &glob = {});

    QString glob() const { return m_glob; }
    bool isEmpty() const { return m_glob.isEmpty(); }
    // "grp01.>" for "grp01.k0011*"; empty: every key.
    QString serverFilter() const { return m_serverFilter; }
    // What is matched here beyond the server's filter: "k0011*".
    QString clientPart() const { return m_clientPart; }
    bool matches(const QString &key) const;

private:
    QString m_glob;
    QString m_serverFilter;
    QString m_clientPart;
    QRegularExpression m_regex;
};
