#include "fuzzsupport.h"

#include "jspuback.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

// The publish acknowledgement's scanner (JsPubAck::scan), which reads each pipelined ack without a JSON
// document. It may decline anything (the caller then parses in full), but what it accepts must be JSON
// that a full parse reads the same way: an acknowledgement (no "error"), the same stream, sequence,
// duplicate flag and domain. Otherwise an ack the server never sent, or a misread sequence, would be
// taken for a stored write.

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = fuzzInput(data, size);
    JsPubAck ack;
    ack.stream = u"untouched"_s;
    if (!JsPubAck::scan(json, &ack)) {
        FUZZ_CHECK(ack.stream == u"untouched"_s); // declined: the ack is left as it was
        return 0;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError);
    FUZZ_CHECK(document.isObject());
    const QJsonObject object = document.object();
    FUZZ_CHECK(!object.contains("error"_L1));
    FUZZ_CHECK(object.value("stream"_L1).toString() == ack.stream);
    FUZZ_CHECK(object.value("domain"_L1).toString() == ack.domain);
    FUZZ_CHECK(object.value("duplicate"_L1).toBool() == ack.duplicate);
    // Qt keeps JSON numbers as doubles: exact only up to 2^53.
    const QJsonValue sequence = object.value("seq"_L1);
    FUZZ_CHECK(sequence.isDouble());
    if (ack.sequence < (quint64(1) << 53))
        FUZZ_CHECK(quint64(sequence.toDouble()) == ack.sequence);
    return 0;
}
