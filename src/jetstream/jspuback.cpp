#include "jspuback.h"

#include "jsapireply.h"
#include "natserror.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace {

// The last name read into a QString, kept to be shared: a pipeline's thousands of acknowledgements all
// name the same stream (and domain), and sharing it costs a comparison instead of a conversion and an
// allocation per ack. Per thread, as the library is used from any thread that runs an event loop.
class NameCache
{
public:
    QString get(QByteArrayView bytes)
    {
        if (bytes.isEmpty())
            return QString::fromUtf8(bytes); // as before: not the cached null string
        if (bytes != QByteArrayView(m_bytes)) {
            m_bytes = bytes.toByteArray();
            m_text = QString::fromUtf8(bytes);
        }
        return m_text;
    }

private:
    QByteArray m_bytes;
    QString m_text;
};

thread_local NameCache streamNames;
thread_local NameCache domainNames;

// A reader for the one shape nats-server gives a publish acknowledgement. Anything else (an error, an
// escaped string, a field it does not know) makes it give up, and the caller parses the JSON in full.
class AckScanner
{
public:
    explicit AckScanner(const QByteArray &json)
        : m_at(json.constData())
        , m_end(json.constData() + json.size())
    {
    }

    bool scan(JsPubAck *ack)
    {
        skipSpace();
        if (!take('{'))
            return false;
        bool hasStream = false;
        bool hasSequence = false;
        for (;;) {
            QByteArrayView key;
            if (!readString(&key) || !take(':'))
                return false;
            if (key == "stream") {
                QByteArrayView value;
                if (!readString(&value))
                    return false;
                ack->stream = streamNames.get(value);
                hasStream = true;
            } else if (key == "domain") {
                QByteArrayView value;
                if (!readString(&value))
                    return false;
                ack->domain = domainNames.get(value);
            } else if (key == "seq") {
                if (!readNumber(&ack->sequence))
                    return false;
                hasSequence = true;
            } else if (key == "duplicate") {
                if (!readBool(&ack->duplicate))
                    return false;
            } else {
                return false;
            }
            if (take(','))
                continue;
            if (!take('}'))
                return false;
            skipSpace();
            return m_at == m_end && hasStream && hasSequence;
        }
    }

private:
    void skipSpace()
    {
        while (m_at < m_end && (*m_at == ' ' || *m_at == '\t' || *m_at == '\r' || *m_at == '\n'))
            ++m_at;
    }

    bool take(char c)
    {
        skipSpace();
        if (m_at == m_end || *m_at != c)
            return false;
        ++m_at;
        return true;
    }

    bool readString(QByteArrayView *out)
    {
        if (!take('"'))
            return false;
        const char *start = m_at;
        bool ascii = true;
        while (m_at < m_end && *m_at != '"') {
            const uchar c = uchar(*m_at);
            if (c == '\\' || c < 0x20)
                return false;
            ascii = ascii && c < 0x80;
            ++m_at;
        }
        if (m_at == m_end)
            return false;
        *out = QByteArrayView(start, m_at - start);
        ++m_at;
        // JSON text is UTF-8: a full parser refuses anything else (names are ASCII: nothing to check).
        return ascii || out->isValidUtf8();
    }

    bool readNumber(quint64 *out)
    {
        skipSpace();
        const char *start = m_at;
        quint64 value = 0;
        while (m_at < m_end && *m_at >= '0' && *m_at <= '9') {
            const quint64 digit = quint64(*m_at - '0');
            // Nineteen digits cannot overflow: only the twentieth needs the (dividing) check.
            if (m_at - start >= 19 && value > (~quint64(0) - digit) / 10)
                return false;
            value = value * 10 + digit;
            ++m_at;
        }
        *out = value;
        // JSON writes no leading zeros ("01" is not a number).
        return m_at != start && m_at - start <= 20 && (*start != '0' || m_at - start == 1);
    }

    bool readBool(bool *out)
    {
        skipSpace();
        if (m_end - m_at >= 4 && QByteArrayView(m_at, 4) == "true") {
            m_at += 4;
            *out = true;
            return true;
        }
        if (m_end - m_at >= 5 && QByteArrayView(m_at, 5) == "false") {
            m_at += 5;
            *out = false;
            return true;
        }
        return false;
    }

    const char *m_at;
    const char *m_end;
};

} // namespace

bool JsPubAck::scan(const QByteArray &json, JsPubAck *ack)
{
    JsPubAck scanned;
    if (!AckScanner(json).scan(&scanned))
        return false;
    *ack = scanned;
    return true;
}

NatsError JsPubAck::check() const
{
    if (sequence != 0)
        return {};
    return NatsError(NatsError::TryAgain,
                     QCoreApplication::translate("JetStreamContext",
                                                 "stream %1 acknowledged the message with sequence 0: a copy of it "
                                                 "is still being stored")
                         .arg(stream));
}

NatsError JsPubAck::decode(const QByteArray &json, JsPubAck *ack)
{
    if (scan(json, ack))
        return ack->check();
    const QJsonObject response = QJsonDocument::fromJson(json).object();
    if (const NatsError error = JsApiReply::errorFromResponse(response); error.isError())
        return error;
    if (!response.contains("stream"_L1)) {
        return NatsError(
            NatsError::InvalidResponse,
            QCoreApplication::translate("JetStreamContext", "the publish acknowledgement names no stream"));
    }
    JsPubAck parsed;
    parsed.stream = response.value("stream"_L1).toString();
    parsed.sequence = quint64(response.value("seq"_L1).toInteger());
    parsed.duplicate = response.value("duplicate"_L1).toBool();
    parsed.domain = response.value("domain"_L1).toString();
    *ack = parsed;
    return parsed.check();
}
