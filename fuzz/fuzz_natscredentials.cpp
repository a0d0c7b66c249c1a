#include "fuzzsupport.h"

#include "natscredentials.h"

// NatsCredentials::parse on the content of a ".creds" file (the input is the file).
//
// Properties: a failure says why; credentials that parse are a JWT of three parts and a seed, and written
// again the way nsc writes them (format) they parse to the same JWT and seed.

namespace {

bool isBlockContent(const QByteArray &text)
{
    for (const char c : text) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
              || c == '.' || c == '='))
            return false;
    }
    return !text.isEmpty();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray content = fuzzInput(data, size);
    NatsCredentials credentials;
    QString error;
    if (!NatsCredentials::parse(content, &credentials, &error)) {
        FUZZ_CHECK(!error.isEmpty());
        FUZZ_CHECK(credentials.jwt().isEmpty() && credentials.seed().isEmpty());
        return 0;
    }
    FUZZ_CHECK(credentials.jwt().count('.') == 2);
    FUZZ_CHECK(!credentials.seed().isEmpty());
    // A bare JWT (a file without fences) may hold what no fenced block can: only a JWT a block can carry
    // is expected back from format().
    if (!isBlockContent(credentials.jwt()))
        return 0;
    NatsCredentials again;
    QString againError;
    FUZZ_CHECK(
        NatsCredentials::parse(NatsCredentials::format(credentials.jwt(), credentials.seed()), &again, &againError));
    FUZZ_CHECK(again.jwt() == credentials.jwt());
    FUZZ_CHECK(again.seed() == credentials.seed());
    return 0;
}
