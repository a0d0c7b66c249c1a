#include "fuzzsupport.h"

#include "jsaccountinfo.h"
#include "jsapireply.h"
#include "jsstoredmessage.h"
#include "jsstreamconfig.h"
#include "jsstreaminfo.h"
#include "kvbucketconfig.h"
#include "kvbucketstatus.h"
#include "natserror.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

// The decoders of JetStream API replies (the input is the reply's JSON body, as JetStreamContext gets
// it): the API error (also the error half of a publish ack), stream info and config (create, update,
// info, list) and what the KV layer reads from them, account info, and STREAM.MSG.GET's stored message.
//
// Properties: an error is an error code with the server's err_code kept; a stream config written back
// (toJson, as an update sends it) reads as the same config, unknown fields included, and reports nothing
// dropped when echoed unchanged.

using namespace Qt::StringLiterals;

namespace {

void checkStreamConfig(const JsStreamConfig &config)
{
    const QJsonObject written = config.toJson();
    const JsStreamConfig again = JsStreamConfig::fromJson(written);
    FUZZ_CHECK(again.toJson() == written);
    FUZZ_CHECK(config.droppedFields(config).isEmpty());
    KvBucketConfig::fromStreamConfig(config);
}

void checkStreamInfo(const QJsonObject &object)
{
    const JsStreamInfo info = JsStreamInfo::fromJson(object);
    checkStreamConfig(info.config);
    KvBucketStatus::fromStreamInfo(info);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonObject response = QJsonDocument::fromJson(fuzzInput(data, size)).object();

    const NatsError error = JsApiReply::errorFromResponse(response);
    FUZZ_CHECK(error.isError() == response.value("error"_L1).isObject());
    if (error.isError())
        FUZZ_CHECK(error.jsErrorCode() == response.value("error"_L1).toObject().value("err_code"_L1).toInt());
    FUZZ_CHECK(!error.isError() || !error.message().isEmpty());

    checkStreamInfo(response);
    checkStreamConfig(JsStreamConfig::fromJson(response));
    for (const QJsonValue &stream : response.value("streams"_L1).toArray())
        checkStreamInfo(stream.toObject());
    JsAccountInfo::fromJson(response);

    JsStoredMessage stored;
    if (JsStoredMessage::fromMessageGet(response.value("message"_L1).toObject(), &stored))
        FUZZ_CHECK(!stored.subject.isNull());
    return 0;
}
