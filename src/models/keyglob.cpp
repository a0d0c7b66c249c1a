#include "keyglob.h"

#include <QtCore/QStringList>

using namespace Qt::StringLiterals;

namespace {

bool hasGlobCharacter(const QString &token)
{
    return token.contains(u'*') || token.contains(u'?') || token.contains(u'[');
}

// Redis' glob to an anchored regular expression; everything else is literal (keys hold '+', '=' and
// '/': QRegularExpression::wildcardToRegularExpression would treat '/' as a path separator).
QString toRegex(const QString &glob)
{
    QString regex;
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (c == u'*') {
            regex += ".*"_L1;
        } else if (c == u'?') {
            regex += u'.';
        } else if (c == u'[') {
            const qsizetype end = glob.indexOf(u']', i + 1);
            if (end < 0) {
                regex += "\\["_L1;
                continue;
            }
            QString set = glob.mid(i + 1, end - i - 1);
            const bool negated = set.startsWith(u'^') || set.startsWith(u'!');
            if (negated)
                set.remove(0, 1);
            set.replace(u'\\', "\\\\"_L1).replace(u'[', "\\["_L1).replace(u']', "\\]"_L1);
            regex += (negated ? "[^"_L1 : "["_L1) + set + u']';
            i = end;
        } else {
            regex += QRegularExpression::escape(QString(c));
        }
    }
    return QRegularExpression::anchoredPattern(regex);
}

} // namespace

bool KeyGlob::isGlob(const QString &text)
{
    if (text.contains(u'?') || text.contains(u'['))
        return true;
    const QStringList tokens = text.split(u'.');
    return std::any_of(tokens.cbegin(), tokens.cend(),
                       [](const QString &t) { return t.contains(u'*') && t != "*"_L1; });
}

KeyGlob::KeyGlob(const QString &glob)
    : m_glob(glob)
{
    if (glob.isEmpty())
        return;
    // The literal tokens before the first one with a glob character: a match starts with them.
    const QStringList tokens = glob.split(u'.');
    qsizetype literal = 0;
    while (literal < tokens.size() - 1 && !hasGlobCharacter(tokens[literal]) && tokens[literal] != ">"_L1)
        ++literal;
    const QStringList prefix = tokens.mid(0, literal);
    m_serverFilter = prefix.isEmpty() ? QString() : prefix.join(u'.') + ".>"_L1;
    m_clientPart = tokens.mid(literal).join(u'.');
    m_regex.setPattern(toRegex(glob));
}

bool KeyGlob::matches(const QString &key) const
{
    return m_glob.isEmpty() || m_regex.match(key).hasMatch();
}

bool KeyGlob::matchesSubject(QByteArrayView filter, QByteArrayView key)
{
    const auto tokenEnd = [](QByteArrayView text, qsizetype from) {
        const qsizetype dot = text.indexOf('.', from);
        return dot < 0 ? text.size() : dot;
    };
    qsizetype f = 0;
    qsizetype k = 0;
    for (;;) {
        // Both have a token here.
        const qsizetype fe = tokenEnd(filter, f);
        const qsizetype ke = tokenEnd(key, k);
        const QByteArrayView token = filter.sliced(f, fe - f);
        if (token == ">")
            return true;
        if (token != "*" && token != key.sliced(k, ke - k))
            return false;
        const bool filterDone = fe == filter.size();
        const bool keyDone = ke == key.size();
        if (filterDone || keyDone)
            return filterDone && keyDone;
        f = fe + 1;
        k = ke + 1;
    }
}
