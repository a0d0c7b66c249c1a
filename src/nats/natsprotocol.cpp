#include "natsprotocol.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QList>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsProtocol", text);
}

} // namespace

namespace NatsProtocol {

QByteArray connect(const QByteArray &json)
{
    return QByteArrayLiteral("CONNECT ") + json + QByteArrayLiteral("\r\n");
}

QByteArray ping()
{
    return QByteArrayLiteral("PING\r\n");
}

QByteArray pong()
{
    return QByteArrayLiteral("PONG\r\n");
}

QByteArray pub(const QByteArray &subject, const QByteArray &replyTo, const QByteArray &payload)
{
    QByteArray out;
    out.reserve(subject.size() + replyTo.size() + payload.size() + 24);
    out += "PUB ";
    out += subject;
    out += ' ';
    if (!replyTo.isEmpty()) {
        out += replyTo;
        out += ' ';
    }
    out += QByteArray::number(payload.size());
    out += "\r\n";
    out += payload;
    out += "\r\n";
    return out;
}

QByteArray hpub(const QByteArray &subject, const QByteArray &replyTo, const QByteArray &headerBlock,
                const QByteArray &payload)
{
    QByteArray out;
    out.reserve(subject.size() + replyTo.size() + headerBlock.size() + payload.size() + 32);
    out += "HPUB ";
    out += subject;
    out += ' ';
    if (!replyTo.isEmpty()) {
        out += replyTo;
        out += ' ';
    }
    out += QByteArray::number(headerBlock.size());
    out += ' ';
    out += QByteArray::number(headerBlock.size() + payload.size());
    out += "\r\n";
    out += headerBlock;
    out += payload;
    out += "\r\n";
    return out;
}

QByteArray sub(const QByteArray &subject, const QByteArray &queue, quint64 sid)
{
    QByteArray out = "SUB " + subject + ' ';
    if (!queue.isEmpty())
        out += queue + ' ';
    out += QByteArray::number(sid) + "\r\n";
    return out;
}

QByteArray unsub(quint64 sid, quint64 maxMessages)
{
    QByteArray out = "UNSUB " + QByteArray::number(sid);
    if (maxMessages > 0)
        out += ' ' + QByteArray::number(maxMessages);
    out += "\r\n";
    return out;
}

qsizetype publishLineLength(const QByteArray &subject, const QByteArray &replyTo, qsizetype headerSize,
                            qsizetype totalSize)
{
    qsizetype length = (headerSize > 0 ? 5 : 4) + subject.size() + 1;
    if (!replyTo.isEmpty())
        length += replyTo.size() + 1;
    if (headerSize > 0)
        length += QByteArray::number(headerSize).size() + 1;
    length += QByteArray::number(totalSize).size();
    return length;
}

QString validateSubject(const QByteArray &subject, SubjectKind kind)
{
    const QString shown = QString::fromUtf8(subject);
    if (subject.isEmpty())
        return tr("subject is empty");
    for (const char c : subject) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0')
            return tr("subject \"%1\" contains whitespace or a control character").arg(shown.simplified());
    }
    const QList<QByteArray> tokens = subject.split('.');
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QByteArray &token = tokens[i];
        if (token.isEmpty())
            return tr("subject \"%1\" has an empty token (a leading, trailing or double dot)").arg(shown);
        const bool wildcard = token == "*" || token == ">";
        if (!wildcard)
            continue;
        if (kind == SubjectKind::Publish)
            return tr("subject \"%1\" contains the wildcard \"%2\"; publish subjects cannot have wildcards")
                .arg(shown, QString::fromLatin1(token));
        if (token == ">" && i != tokens.size() - 1)
            return tr("subject \"%1\": the wildcard \">\" must be the last token").arg(shown);
    }
    return {};
}

QString validateQueueGroup(const QByteArray &queue)
{
    for (const char c : queue) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0')
            return tr("queue group \"%1\" contains whitespace").arg(QString::fromUtf8(queue).simplified());
    }
    return {};
}

bool subjectMatches(const QByteArray &pattern, const QByteArray &subject)
{
    const QList<QByteArray> patternTokens = pattern.split('.');
    const QList<QByteArray> subjectTokens = subject.split('.');
    for (qsizetype i = 0; i < patternTokens.size(); ++i) {
        const QByteArray &token = patternTokens[i];
        if (token == ">")
            return i == patternTokens.size() - 1 && subjectTokens.size() > i;
        if (i >= subjectTokens.size())
            return false;
        if (token != "*" && token != subjectTokens[i])
            return false;
    }
    return patternTokens.size() == subjectTokens.size();
}

} // namespace NatsProtocol
