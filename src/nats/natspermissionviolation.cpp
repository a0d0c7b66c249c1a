#include "natspermissionviolation.h"

#include <QtCore/QString>

namespace {

// Appends the UTF-8 of a \u or \U escape (hexDigits long) starting at text[i]; advances i past it.
bool appendCodePoint(const QByteArray &text, qsizetype *i, int hexDigits, QByteArray *out)
{
    if (*i + hexDigits > text.size())
        return false;
    bool ok = false;
    const uint value = text.mid(*i, hexDigits).toUInt(&ok, 16);
    if (!ok || value > 0x10FFFF)
        return false;
    const char32_t codePoint = value;
    *out += QString::fromUcs4(&codePoint, 1).toUtf8();
    *i += hexDigits;
    return true;
}

bool appendEscape(const QByteArray &text, qsizetype *i, QByteArray *out)
{
    const char c = text[(*i)++];
    switch (c) {
    case 'a':
        *out += '\a';
        return true;
    case 'b':
        *out += '\b';
        return true;
    case 'f':
        *out += '\f';
        return true;
    case 'n':
        *out += '\n';
        return true;
    case 'r':
        *out += '\r';
        return true;
    case 't':
        *out += '\t';
        return true;
    case 'v':
        *out += '\v';
        return true;
    case '\\':
        *out += '\\';
        return true;
    case '"':
        *out += '"';
        return true;
    case 'x': {
        if (*i + 2 > text.size())
            return false;
        bool ok = false;
        const uint byte = text.mid(*i, 2).toUInt(&ok, 16);
        *out += char(byte);
        *i += 2;
        return ok;
    }
    case 'u':
        return appendCodePoint(text, i, 4, out);
    case 'U':
        return appendCodePoint(text, i, 8, out);
    default:
        return false;
    }
}

// Reads the Go-quoted string (strconv.Quote) starting at text[*i] == '"'; leaves *i past its end.
bool readQuoted(const QByteArray &text, qsizetype *i, QByteArray *out)
{
    if (*i >= text.size() || text[*i] != '"')
        return false;
    ++*i;
    out->clear();
    while (*i < text.size()) {
        const char c = text[(*i)++];
        if (c == '"')
            return true;
        if (c != '\\') {
            *out += c;
        } else if (*i >= text.size() || !appendEscape(text, i, out)) {
            return false;
        }
    }
    return false; // no closing quote
}

} // namespace

bool NatsPermissionViolation::parse(const QByteArray &text, NatsPermissionViolation *out)
{
    struct Form
    {
        const char *prefix;
        Operation operation;
    };
    // "Publish with Reply of" before "Publish to": neither is a prefix of the other, but keep them apart.
    static const Form forms[] = {
        {"permissions violation for publish with reply of ", Operation::Reply},
        {"permissions violation for publish to ", Operation::Publish},
        {"permissions violation for subscription to ", Operation::Subscription},
    };
    const QByteArray lower = text.toLower();
    for (const Form &form : forms) {
        if (!lower.startsWith(form.prefix))
            continue;
        NatsPermissionViolation violation;
        violation.operation = form.operation;
        qsizetype i = qsizetype(qstrlen(form.prefix));
        if (!readQuoted(text, &i, &violation.subject))
            return false;
        static const QByteArray queueMarker = " using queue ";
        if (form.operation == Operation::Subscription && lower.mid(i, queueMarker.size()) == queueMarker) {
            i += queueMarker.size();
            if (!readQuoted(text, &i, &violation.queueGroup))
                return false;
        }
        *out = violation;
        return true;
    }
    return false;
}
