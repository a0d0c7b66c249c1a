#include "fuzzsupport.h"

#include "natsheaders.h"

// NatsHeaders::fromWire on a header block as an HMSG carries it (the input is the block).
//
// Properties: a block that parses has no empty key, and goes back on the wire (toWire) as one that parses
// to the same headers, so a message read can be sent on as it was.

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray block = fuzzInput(data, size);
    NatsHeaders headers;
    if (!NatsHeaders::fromWire(block, &headers)) {
        FUZZ_CHECK(headers.isEmpty()); // *out untouched on failure
        return 0;
    }
    for (const NatsHeaders::Entry &entry : headers.entries())
        FUZZ_CHECK(!entry.first.isEmpty() && entry.first == entry.first.trimmed());
    // toWire writes no status 0, so a description without a status does not go back on the wire; a server
    // never sends one (statuses are 100..999, docs/nats-protocol.md §1.5).
    if (headers.status() == 0 && !headers.statusDescription().isEmpty())
        return 0;
    NatsHeaders again;
    FUZZ_CHECK(NatsHeaders::fromWire(headers.toWire(), &again));
    FUZZ_CHECK(again == headers);
    return 0;
}
