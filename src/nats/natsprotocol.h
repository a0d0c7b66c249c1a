#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

class NatsHeaders;

// Pure encoders for what a client sends, and the subject rules. No state, no socket.
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
QByteArray sub(const QByteArray &subject, const QByteArray &queue, quint64 sid);
QByteArray unsub(quint64 sid, quint64 maxMessages = 0);

// Length of the control line pub()/hpub() would write, without the CRLF.
qsizetype publishLineLength(const QByteArray &subject, const QByteArray &replyTo, qsizetype headerSize,
                            qsizetype totalSize);

enum class SubjectKind { Publish, Subscribe };
// Why subject is not valid for a publish (no wildcards) or a subscription (`*` tokens, `>` last), or an
// empty string when it is. The server does not check publish subjects and treats a tab in a SUB subject
// as a field separator, so the client must check both.
QString validateSubject(const QByteArray &subject, SubjectKind kind);
QString validateQueueGroup(const QByteArray &queue);
// True when subject (no wildcards) matches pattern (`*` one token, `>` one or more trailing tokens).
bool subjectMatches(const QByteArray &pattern, const QByteArray &subject);

} // namespace NatsProtocol
