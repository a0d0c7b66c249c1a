#pragma once

#include "natserror.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

class NatsHeaders;
class NatsMessage;

// Pure encoders for what a client sends, and the rules it must keep (subjects, sizes, line lengths).
// No state, no socket.
namespace NatsProtocol {

// The server closes the connection on a client control line (PUB/HPUB/SUB with subject, reply and sizes)
// longer than this; check before sending.
constexpr qsizetype MaxControlLine = 4096;

QByteArray connect(const QByteArray &json);
QByteArray ping();
QByteArray pong();
QByteArray pub(const QByteArray &subject, const QByteArray &replyTo, const QByteArray &payload);
QByteArray hpub(const QByteArray &subject, const QByteArray &replyTo, const QByteArray &headerBlock,
                const QByteArray &payload);
// Appends PUB (or HPUB when headerBlock is not empty) to out: a publish encoded into a buffer that is
// reused, without a QByteArray of its own.
void appendPublish(QByteArray *out, const QByteArray &subject, const QByteArray &replyTo, const QByteArray &headerBlock,
                   const QByteArray &payload);
QByteArray sub(const QByteArray &subject, const QByteArray &queue, quint64 sid);
QByteArray unsub(quint64 sid, quint64 maxMessages = 0);

// Length of the control line pub()/hpub() would write, without the CRLF.
qsizetype publishLineLength(const QByteArray &subject, const QByteArray &replyTo, qsizetype headerSize,
                            qsizetype totalSize);

enum class SubjectKind {
    Publish,
    Subscribe
};
// Why subject is not valid for a publish (no wildcards) or a subscription (`*` tokens, `>` last), or an
// empty string when it is. The server does not check publish subjects and treats a tab in a SUB subject
// as a field separator, so the client must check both.
QString validateSubject(const QByteArray &subject, SubjectKind kind);
QString validateQueueGroup(const QByteArray &queue);
// Why message cannot be published to a server that takes maxPayload bytes of headers and data, and
// headers only when headersSupported: an invalid subject or reply subject, an invalid header, too many
// bytes or too long a control line, checked in that order. NoError when it can.
NatsError checkPublish(const NatsMessage &message, qint64 maxPayload, bool headersSupported);
// The same with the message's header block (headers().toWire()) already encoded, to encode it once.
NatsError checkPublish(const NatsMessage &message, const QByteArray &headerBlock, qint64 maxPayload,
                       bool headersSupported);
// checkPublish() for a request's publish, whose reply subject is generatedReplyTo instead of
// message.replyTo() (ignored). The library builds that subject itself (NatsRequestMux: its "_INBOX." + NUID
// prefix and a base-62 token, valid by construction), so it is not validated again per request, only
// counted in the line length; the caller's subject and headers are checked exactly as checkPublish() does.
NatsError checkRequestPublish(const NatsMessage &message, const QByteArray &headerBlock,
                              const QByteArray &generatedReplyTo, qint64 maxPayload, bool headersSupported);
// Whether a publish without headers of size bytes to subject (replyTo: none when empty) passes
// checkPublish(): the quick yes of every plain publish, nothing built. When false, checkPublish() says why.
// subjectValid: the caller already knows subject is valid (it passed before), only its length counts.
bool isValidPlainPublish(const QByteArray &subject, const QByteArray &replyTo, qsizetype size, qint64 maxPayload,
                         bool subjectValid = false);
// Why SUB subject [queue] sid cannot be sent: an invalid subject or queue group, or too long a line.
NatsError checkSubscribe(const QByteArray &subject, const QByteArray &queue, quint64 sid);

// True when subject (no wildcards) matches pattern (`*` one token, `>` one or more trailing tokens).
bool subjectMatches(const QByteArray &pattern, const QByteArray &subject);

} // namespace NatsProtocol
