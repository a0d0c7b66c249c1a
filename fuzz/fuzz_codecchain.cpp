#include "fuzzsupport.h"

#include "codecchain.h"

// The value decoders' chain (the input is a value): detection by magic bytes and trial decodes, Base64,
// gzip, zlib, zstd, MessagePack, CBOR, JSON, text.
//
// Properties: decompression never passes its cap; a value that decodes says how (a description, a step
// list ending in what is shown); a value whose decoded form is editable encodes back, with the same
// chain, to a value that decodes to the same steps and the same text; one that is not says why.

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CodecOptions options;
    options.maxOutputSize = 1024 * 1024;
    const QByteArray value = fuzzInput(data, size);
    const CodecChain chain = CodecChain::decode(value, options);
    if (!chain.isValid()) {
        FUZZ_CHECK(!chain.errorString().isEmpty());
        return 0;
    }
    FUZZ_CHECK(!chain.description().isEmpty());
    FUZZ_CHECK(chain.steps().size() <= options.maxSteps);
    FUZZ_CHECK(chain.lastLayer().size() <= options.maxOutputSize);
    if (!chain.isEditable()) {
        FUZZ_CHECK(!chain.readOnlyReason().isEmpty());
        return 0;
    }
    QByteArray again;
    QString error;
    FUZZ_CHECK(chain.encode(chain.text(), &again, &error));
    const CodecChain back = CodecChain::decode(again, options);
    FUZZ_CHECK(back.steps() == chain.steps());
    FUZZ_CHECK(back.text() == chain.text());
    return 0;
}
