#include "natsprotocol.h"

#include "natsmessage.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QList>

#include <algorithm>
#include <cstring>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsProtocol", text);
}

// Decimal digits of a size, without formatting it or dividing per digit (every publish counts them).
qsizetype digitCount(qsizetype value)
{
    qsizetype digits = 1;
    for (; value >= 10000; value /= 10000)
        digits += 4;
    return digits + (value >= 10) + (value >= 100) + (value >= 1000);
}

// What a subject's bytes are to isValidSubject(): bits, so that one pass ORs them together.
enum SubjectByte : unsigned char {
    Plain = 0,
    Dot = 1,
    Blank = 2,   // space, tab, CR, LF, NUL: never in a subject
    Wildcard = 4 // '*' or '>': a wildcard when a token of its own
};

struct SubjectByteTable
{
    unsigned char kind[256] = {};
    constexpr SubjectByteTable()
    {
        kind[uchar('.')] = Dot;
        for (const char c : {' ', '\t', '\r', '\n', '\0'})
            kind[uchar(c)] = Blank;
        kind[uchar('*')] = Wildcard;
        kind[uchar('>')] = Wildcard;
    }
};
constexpr SubjectByteTable kSubjectBytes;

// Token by token: wildcards, and where they may stand.
bool hasValidTokens(const char *data, qsizetype size, NatsProtocol::SubjectKind kind)
{
    const auto tokenIsValid = [&](qsizetype start, qsizetype end) {
        if (end == start)
            return false; // an empty token
        if (end - start == 1 && (data[start] == '*' || data[start] == '>'))
            return kind != NatsProtocol::SubjectKind::Publish && (data[start] == '*' || end == size);
        return true;
    };
    qsizetype tokenStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        if (data[i] != '.')
            continue;
        if (!tokenIsValid(tokenStart, i))
            return false;
        tokenStart = i + 1;
    }
    return tokenIsValid(tokenStart, size);
}

// One pass over the bytes, nothing allocated, few branches: every publish checks its subject, and only
// one with a wildcard character goes token by token; one that fails takes the slow path that says why.
bool isValidSubject(const QByteArray &subject, NatsProtocol::SubjectKind kind)
{
    const char *data = subject.constData();
    const qsizetype size = subject.size();
    if (size == 0 || data[0] == '.' || data[size - 1] == '.')
        return false;
    unsigned seen = 0;
    unsigned emptyToken = 0; // two dots in a row
    unsigned previous = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const unsigned byte = kSubjectBytes.kind[uchar(data[i])];
        seen |= byte;
        emptyToken |= byte & previous;
        previous = byte & Dot;
    }
    if ((seen & Blank) || emptyToken)
        return false;
    return !(seen & Wildcard) || hasValidTokens(data, size, kind);
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
    appendPublish(&out, subject, replyTo, {}, payload);
    return out;
}

QByteArray hpub(const QByteArray &subject, const QByteArray &replyTo, const QByteArray &headerBlock,
                const QByteArray &payload)
{
    QByteArray out;
    appendPublish(&out, subject, replyTo, headerBlock, payload);
    return out;
}

void appendPublish(QByteArray *out, const QByteArray &subject, const QByteArray &replyTo, const QByteArray &headerBlock,
                   const QByteArray &payload)
{
    // Sized first and written in place, one resize (no reallocation of a reused buffer): every publish
    // and request comes through here, and QByteArray::append() goes through insert().
    const qsizetype headerSize = headerBlock.size();
    const qsizetype total = headerSize + payload.size();
    const qsizetype lineLength = publishLineLength(subject, replyTo, headerSize, total);
    const qsizetype start = out->size();
    out->resize(start + lineLength + 2 + total + 2);
    char *at = out->data() + start;
    const auto put = [&at](const char *bytes, qsizetype size) {
        std::memcpy(at, bytes, size_t(size));
        at += size;
    };
    const auto putNumber = [&at](qsizetype value) {
        char *end = at + digitCount(value);
        for (char *digit = end; digit != at; value /= 10)
            *--digit = char('0' + value % 10);
        at = end;
    };
    if (headerSize > 0)
        put("HPUB ", 5);
    else
        put("PUB ", 4);
    put(subject.constData(), subject.size());
    *at++ = ' ';
    if (!replyTo.isEmpty()) {
        put(replyTo.constData(), replyTo.size());
        *at++ = ' ';
    }
    if (headerSize > 0) {
        putNumber(headerSize);
        *at++ = ' ';
    }
    putNumber(total);
    put("\r\n", 2);
    if (headerSize > 0)
        put(headerBlock.constData(), headerSize);
    put(payload.constData(), payload.size());
    put("\r\n", 2);
    Q_ASSERT(at == out->constData() + out->size());
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
        length += digitCount(headerSize) + 1;
    length += digitCount(totalSize);
    return length;
}

QString validateSubject(const QByteArray &subject, SubjectKind kind)
{
    if (isValidSubject(subject, kind))
        return {};
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
    return checkPublish(message, message.hasHeaders() ? message.headers().toWire() : QByteArray(), maxPayload,
                        headersSupported);
}

namespace {

// checkPublish() and checkRequestPublish(): the reply subject validated only when the caller gave it.
NatsError checkPublishWithReply(const NatsMessage &message, const QByteArray &headerBlock, const QByteArray &replyTo,
                                bool replyFromCaller, qint64 maxPayload, bool headersSupported)
{
    QString problem = validateSubject(message.subject(), SubjectKind::Publish);
    if (problem.isEmpty() && replyFromCaller && !replyTo.isEmpty())
        problem = validateSubject(replyTo, SubjectKind::Publish);
    if (!problem.isEmpty())
        return NatsError(NatsError::InvalidSubject, problem);

    qsizetype headerSize = 0;
    if (message.hasHeaders()) {
        if (!headersSupported)
            return NatsError(NatsError::InvalidHeader, tr("the server does not support headers"));
        // A const copy: iterating the temporary entries() returns would detach it, a deep copy per publish.
        const QList<NatsHeaders::Entry> entries = message.headers().entries();
        for (const NatsHeaders::Entry &entry : entries) {
            problem = NatsHeaders::validate(entry.first, entry.second);
            if (!problem.isEmpty())
                return NatsError(NatsError::InvalidHeader, problem);
        }
        headerSize = headerBlock.size();
    }
    const qsizetype total = headerSize + message.data().size();
    if (total > maxPayload) {
        return NatsError(
            NatsError::PayloadTooLarge,
            tr("message of %1 bytes exceeds the server's maximum payload of %2 bytes").arg(total).arg(maxPayload));
    }
    const qsizetype lineLength = publishLineLength(message.subject(), replyTo, headerSize, total);
    if (lineLength > MaxControlLine) {
        return NatsError(
            NatsError::ControlLineTooLong,
            tr("subject and reply subject are too long: the protocol line would be %1 bytes, the limit is %2")
                .arg(lineLength)
                .arg(MaxControlLine));
    }
    return {};
}

} // namespace

NatsError checkPublish(const NatsMessage &message, const QByteArray &headerBlock, qint64 maxPayload,
                       bool headersSupported)
{
    return checkPublishWithReply(message, headerBlock, message.replyTo(), true, maxPayload, headersSupported);
}

NatsError checkRequestPublish(const NatsMessage &message, const QByteArray &headerBlock,
                              const QByteArray &generatedReplyTo, qint64 maxPayload, bool headersSupported)
{
    return checkPublishWithReply(message, headerBlock, generatedReplyTo, false, maxPayload, headersSupported);
}

bool isValidPlainPublish(const QByteArray &subject, const QByteArray &replyTo, qsizetype size, qint64 maxPayload,
                         bool subjectValid)
{
    return size <= maxPayload && publishLineLength(subject, replyTo, 0, size) <= MaxControlLine
        && (subjectValid || isValidSubject(subject, SubjectKind::Publish))
        && (replyTo.isEmpty() || isValidSubject(replyTo, SubjectKind::Publish));
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
