#include "fuzzsupport.h"

#include "kventry.h"
#include "kvndjson.h"

// KvNdjson::decode on one line of an NDJSON import (kvdesk-cli import, the app's import; the input is the
// line).
//
// Properties: a failure says why; a line that decodes is an entry with a key, which exported again
// (encode) decodes to the same entry: export and import round-trip what import accepts.

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray line = fuzzInput(data, size);
    KvEntry entry;
    QString error;
    if (!KvNdjson::decode(line, &entry, &error)) {
        FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    FUZZ_CHECK(!entry.key.isEmpty());
    const QByteArray encoded = KvNdjson::encode(entry);
    FUZZ_CHECK(!encoded.contains('\n'));
    KvEntry again;
    QString againError;
    FUZZ_CHECK(KvNdjson::decode(encoded, &again, &againError));
    FUZZ_CHECK(again == entry);
    return 0;
}
