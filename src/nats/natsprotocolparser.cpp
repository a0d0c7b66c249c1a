#include "natsprotocolparser.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QList>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsProtocolParser", text);
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// Fields are separated by runs of spaces or tabs: server-generated messages (JetStream replies,
// heartbeats) carry two spaces where the reply subject is absent ("MSG _INBOX.x 2  29"). Views into
// the line, nothing allocated per message; count says how many there were, even past MaxFields.
struct Fields
{
    static constexpr int MaxFields = 5;
    QByteArrayView field[MaxFields];
    qsizetype count = 0;
};

Fields splitFieldsSlowly(QByteArrayView text)
{
    Fields fields;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && isBlank(text[i]))
            ++i;
        const qsizetype start = i;
        while (i < n && !isBlank(text[i]))
            ++i;
        if (i > start) {
            if (fields.count < Fields::MaxFields)
                fields.field[fields.count] = text.sliced(start, i - start);
            ++fields.count;
        }
    }
    return fields;
}

// The same for the usual line, separated by spaces only: each field's end found with memchr, as a
// JetStream delivery's reply subject alone is some 80 bytes and every message has one.
Fields splitFields(QByteArrayView text)
{
    const char *at = text.data();
    const char *end = at + text.size();
    if (std::memchr(at, '\t', size_t(text.size())))
        return splitFieldsSlowly(text);
    Fields fields;
    while (at < end) {
        while (at < end && *at == ' ')
            ++at;
        if (at == end)
            break;
        const char *space = static_cast<const char *>(std::memchr(at, ' ', size_t(end - at)));
        const char *fieldEnd = space ? space : end;
        if (fields.count < Fields::MaxFields)
            fields.field[fields.count] = QByteArrayView(at, fieldEnd - at);
        ++fields.count;
        at = fieldEnd;
    }
    return fields;
}

QByteArrayView trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (isBlank(text[begin]) || text[begin] == '\r' || text[begin] == '\n'))
        ++begin;
    while (end > begin && (isBlank(text[end - 1]) || text[end - 1] == '\r' || text[end - 1] == '\n'))
        --end;
    return text.sliced(begin, end - begin);
}

// The first 32 bytes of a field, for an error message.
QByteArrayView shownField(QByteArrayView field)
{
    return field.first(std::min<qsizetype>(field.size(), 32));
}

// Whether name is operation (upper case in the call) in any case: the length first, then each byte, a
// letter in either case (the server sends upper case; the protocol allows both). Inline, as every
// message's line goes through it, where qstrnicmp() cost a call and a strlen.
template<qsizetype N>
bool is(QByteArrayView name, const char (&operation)[N])
{
    if (name.size() != N - 1)
        return false;
    for (qsizetype i = 0; i < N - 1; ++i) {
        const char expected = operation[i];
        const char c = name[i];
        const bool letter = expected >= 'A' && expected <= 'Z';
        if (c != expected && !(letter && c == char(expected + ('a' - 'A'))))
            return false;
    }
    return true;
}

bool parseSize(QByteArrayView field, qsizetype *out)
{
    if (field.isEmpty() || field.size() > 12)
        return false;
    qsizetype value = 0;
    for (const char c : field) {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    *out = value;
    return true;
}

} // namespace

bool NatsProtocolParser::parseUnsigned(QByteArrayView digits, quint64 *out)
{
    if (digits.isEmpty())
        return false;
    quint64 value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return false;
        const quint64 digit = quint64(c - '0');
        if (value > (~quint64(0) - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    *out = value;
    return true;
}

qsizetype NatsProtocolParser::messageLimitFor(qint64 advertisedMaxPayload)
{
    // The client sets the limit, not the server: a max_payload of 10^12 in INFO followed by a MSG of
    // that size must not make it buffer gigabytes. max_payload is honoured up to what a server can have.
    const qint64 honoured = std::clamp<qint64>(advertisedMaxPayload, 0, LargestServerMaxPayload);
    // A message of that size can come back larger: base64-encoded in a STREAM.MSG.GET reply (headers
    // and data each rounded up), with its subject and the JSON around it, or with headers JetStream adds.
    constexpr qint64 allowance = 1024 * 1024;
    const qint64 largestMessage = (honoured + 2) / 3 * 4 + 8 + allowance;
    // The server's own replies exceed max_payload in ordinary use (STREAM.INFO with 100,000 subject
    // details, a STREAM.LIST page of 256 stream infos): never less than the 64 MiB default.
    return qsizetype(std::max<qint64>(largestMessage, DefaultMaxPayload));
}

void NatsProtocolParser::feed(const QByteArray &data)
{
    if (hasError())
        return;
    m_buffer.append(data);
}

char *NatsProtocolParser::reserveFeed(qsizetype size)
{
    if (hasError())
        return nullptr;
    m_reservedFrom = m_buffer.size();
    m_buffer.resize(m_reservedFrom + size);
    return m_buffer.data() + m_reservedFrom;
}

void NatsProtocolParser::commitFeed(qsizetype written)
{
    if (m_reservedFrom < 0)
        return;
    m_buffer.resize(m_reservedFrom + std::max<qsizetype>(written, 0));
    m_reservedFrom = -1;
}

void NatsProtocolParser::reset()
{
    m_reservedFrom = -1;
    m_buffer.clear();
    m_offset = 0;
    m_pending = {};
    m_lastSubject.clear();
    m_error.clear();
}

void NatsProtocolParser::fail(const QString &message)
{
    m_error = message;
    m_reservedFrom = -1;
    m_buffer.clear();
    m_offset = 0;
    m_pending = {};
}

void NatsProtocolParser::compact()
{
    // Drop consumed bytes once they dominate the buffer, so a long session does not keep them.
    if (m_offset > 0 && (m_offset == m_buffer.size() || m_offset > 64 * 1024)) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
}

bool NatsProtocolParser::next(Op *op)
{
    if (hasError())
        return false;

    if (m_pending.active)
        return takePayload(op);

    const qsizetype newline = m_buffer.indexOf('\n', m_offset);
    if (newline < 0) {
        if (bufferedBytes() > m_maxControlLine)
            fail(tr("control line longer than %1 bytes").arg(m_maxControlLine));
        return false;
    }
    if (newline - m_offset > m_maxControlLine) {
        fail(tr("control line longer than %1 bytes").arg(m_maxControlLine));
        return false;
    }
    if (newline == m_offset || m_buffer.constData()[newline - 1] != '\r') {
        fail(tr("control line not terminated by CRLF"));
        return false;
    }

    const QByteArrayView line(m_buffer.constData() + m_offset, newline - 1 - m_offset);
    m_offset = newline + 1;
    // A MSG is parsed into m_pending and handed over with its payload; anything else straight into op.
    if (!parseControlLine(line, op))
        return false;
    if (m_pending.active)
        return takePayload(op);
    compact();
    return true;
}

bool NatsProtocolParser::parseControlLine(QByteArrayView line, Op *op)
{
    qsizetype nameEnd = 0;
    while (nameEnd < line.size() && !isBlank(line[nameEnd]))
        ++nameEnd;
    const QByteArrayView name = line.first(nameEnd);
    const QByteArrayView rest = trimmed(line.sliced(nameEnd));

    if (is(name, "MSG"))
        return parseMessageArgs(rest, false);
    if (is(name, "HMSG"))
        return parseMessageArgs(rest, true);

    // Not a message: op is written whole (a caller may hand in the last message's).
    *op = Op();
    const auto noArguments = [&](OpType type) {
        if (!rest.isEmpty()) {
            fail(tr("unexpected arguments after %1").arg(QString::fromLatin1(name).toUpper()));
            return false;
        }
        op->type = type;
        return true;
    };
    if (is(name, "PING"))
        return noArguments(OpType::Ping);
    if (is(name, "PONG"))
        return noArguments(OpType::Pong);
    if (is(name, "+OK"))
        return noArguments(OpType::Ok);
    if (is(name, "-ERR")) {
        op->type = OpType::Err;
        QByteArray text = rest.toByteArray();
        if (text.size() >= 2 && text.startsWith('\'') && text.endsWith('\''))
            text = text.mid(1, text.size() - 2);
        op->text = text;
        return true;
    }
    if (is(name, "INFO")) {
        if (rest.isEmpty()) {
            fail(tr("INFO without a JSON body"));
            return false;
        }
        op->type = OpType::Info;
        op->text = rest.toByteArray();
        return true;
    }

    QByteArray shown = line.first(std::min<qsizetype>(line.size(), 32)).toByteArray();
    for (char &c : shown) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
            c = '?';
    }
    fail(tr("unknown protocol operation \"%1\"").arg(QString::fromLatin1(shown)));
    return false;
}

QByteArray NatsProtocolParser::sharedSubject(QByteArrayView subject)
{
    // A subscription's messages mostly come on one subject: the last one is shared, not allocated again.
    if (subject != QByteArrayView(m_lastSubject))
        m_lastSubject = subject.toByteArray();
    return m_lastSubject;
}

// MSG  <subject> <sid> [reply] <#payload>
// HMSG <subject> <sid> [reply] <#header> <#total>
bool NatsProtocolParser::parseMessageArgs(QByteArrayView args, bool withHeaders)
{
    const Fields fields = splitFields(args);
    const qsizetype sizeFields = withHeaders ? 2 : 1;
    if (fields.count != 2 + sizeFields && fields.count != 3 + sizeFields) {
        fail(tr("%1 with %2 arguments").arg(withHeaders ? u"HMSG"_s : u"MSG"_s).arg(fields.count));
        return false;
    }

    // Into the pending operation itself: what it held is the previous message a caller swapped back in.
    Op &op = m_pending.op;
    op.type = OpType::Msg;
    op.hasHeaders = withHeaders;
    op.subject = sharedSubject(fields.field[0]);
    if (!NatsProtocolParser::parseUnsigned(fields.field[1], &op.sid)) {
        fail(tr("invalid subscription id \"%1\"").arg(QString::fromLatin1(shownField(fields.field[1]))));
        return false;
    }
    if (fields.count == 3 + sizeFields)
        op.replyTo = fields.field[2].toByteArray();
    else
        op.replyTo = QByteArray();

    const qsizetype firstSize = fields.count - sizeFields;
    qsizetype headerSize = 0;
    qsizetype totalSize = 0;
    if (!parseSize(fields.field[firstSize], &totalSize)) {
        fail(tr("invalid size \"%1\"").arg(QString::fromLatin1(shownField(fields.field[firstSize]))));
        return false;
    }
    if (withHeaders) {
        headerSize = totalSize;
        if (!parseSize(fields.field[firstSize + 1], &totalSize)) {
            fail(tr("invalid size \"%1\"").arg(QString::fromLatin1(shownField(fields.field[firstSize + 1]))));
            return false;
        }
        if (headerSize > totalSize) {
            fail(tr("header size %1 larger than total size %2").arg(headerSize).arg(totalSize));
            return false;
        }
    }
    if (totalSize > m_maxPayload) {
        fail(tr("message of %1 bytes exceeds the limit of %2 bytes").arg(totalSize).arg(m_maxPayload));
        return false;
    }
    m_pending.headerSize = headerSize;
    m_pending.totalSize = totalSize;
    m_pending.active = true;
    return true;
}

bool NatsProtocolParser::takePayload(Op *op)
{
    const qsizetype needed = m_pending.totalSize + 2;
    if (bufferedBytes() < needed)
        return false;
    const char *end = m_buffer.constData() + m_offset + m_pending.totalSize;
    if (end[0] != '\r' || end[1] != '\n') {
        fail(tr("message payload not followed by CRLF"));
        return false;
    }
    Op &result = m_pending.op;
    if (!result.text.isNull())
        result.text = QByteArray(); // an INFO's text, from an operation swapped back in
    const char *payload = m_buffer.constData() + m_offset;
    if (result.hasHeaders) {
        result.headers = QByteArray(payload, m_pending.headerSize);
        result.payload = QByteArray(payload + m_pending.headerSize, m_pending.totalSize - m_pending.headerSize);
    } else {
        result.headers = QByteArray();
        result.payload = QByteArray(payload, m_pending.totalSize);
    }
    m_offset += needed;
    m_pending.active = false;
    // Swapped, not moved: the caller's previous operation comes back here to be written over, so no
    // operation is built or destroyed per message.
    std::swap(*op, result);
    compact();
    return true;
}
