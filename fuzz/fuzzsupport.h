#pragma once

#include <QtCore/QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// What every fuzz target shares. A target is one fuzz_<name>.cpp defining LLVMFuzzerTestOneInput (and,
// when it needs one-time setup, LLVMFuzzerInitialize); libFuzzer's main drives it in the clang fuzz build
// (KVDESK_FUZZ), fuzzreplay.cpp's main in the regular test build.

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);

// A property checked on every input. A failed one aborts, so libFuzzer keeps the input as a crash and the
// replay test of the regular build fails on it, both naming the property.
#define FUZZ_CHECK(condition)                                                                                          \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #condition);                    \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)

// The input as an owned copy, as the library gets bytes from a socket or a file (a raw-data QByteArray
// would let Qt read past libFuzzer's buffer where it expects a terminating NUL).
inline QByteArray fuzzInput(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}
