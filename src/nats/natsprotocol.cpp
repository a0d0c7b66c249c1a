#include "natsprotocol.h"

#include "natsmessage.h"

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

NatsError checkPublish(const NatsMessage &message, qint64 maxPayload, bool headersSupported)
{
    QString problem = validateSubject(message.subject(), SubjectKind::Publish);
    if (problem.isEmpty() && !message.replyTo().isEmpty())
        problem = validateSubject(message.replyTo(), SubjectKind::Publish);
    if (!problem.isEmpty())
        return NatsError(NatsError::InvalidSubject, problem);

    qsizetype headerSize = 0;
    if (message.hasHeaders()) {
        if (!headersSupported)
            return NatsError(NatsError::InvalidHeader, tr("the server does not support headers"));
        for (const NatsHeaders::Entry &entry : message.headers().entries()) {
            problem = NatsHeaders::validate(entry.first, entry.second);
            if (!problem.isEmpty())
                return NatsError(NatsError::InvalidHeader, problem);
        }
        headerSize = message.headers().toWire().size();
    }
    const qsizetype total = headerSize + message.data().size();
    if (total > maxPayload) {
        return NatsError(
            NatsError::PayloadTooLarge,
            tr("message of %1 bytes exceeds the server's maximum payload of %2 bytes").arg(total).arg(maxPayload));
    }
    const qsizetype lineLength = publishLineLength(message.subject(), message.replyTo(), headerSize, total);
    if (lineLength > MaxControlLine) {
        return NatsError(
            NatsError::ControlLineTooLong,
            tr("subject and reply subject are too long: the protocol line would be %1 bytes, the limit is %2")
                .arg(lineLength)
                .arg(MaxControlLine));
    }
    return {};
}

NatsError checkSubscribe(const QByteArray &subject, const QByteArray &queue, quint64 sid)
{
    QString problem = validateSubject(subject, SubjectKind::Subscribe);
    if (!problem.isEmpty())
        return NatsError(NatsError::InvalidSubject, problem);
    problem = validateQueueGroup(queue);
    if (!problem.isEmpty())
        return NatsError(NatsError::InvalidQueueGroup, problem);
    // The server closes the connection on a longer SUB line, and every reconnect would send it again
    // (§1.6): refuse it here, as checkPublish() does.
    if (const qsizetype lineLength = sub(subject, queue, sid).size() - 2; lineLength > MaxControlLine) {
        return NatsError(NatsError::ControlLineTooLong,
                         tr("cannot subscribe: the subject is too long (the protocol line would be %1 bytes, "
                            "the limit is %2)")
                             .arg(lineLength)
                             .arg(MaxControlLine));
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
