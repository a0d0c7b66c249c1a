#pragma once

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <cstddef>

// The few libcrypto functions NKeys need (Ed25519 through EVP, random seeds), loaded when first asked for
// instead of linked. Linking libcrypto made every process pay for binding its 4,000 symbols at start
// (libcrypto is built BIND_NOW): 1.3 ms of the 6 ms a whole `kvdesk-cli get` took, for a plain nats://
// connection that never signs anything. Only nkey and creds authentication load it. The packages still
// depend on it through libqt6network6 (libssl3 holds libcrypto.so.3).
class NatsCrypto final
{
public:
    // The functions, or nullptr when libcrypto cannot be loaded (then every NKey operation fails).
    static const NatsCrypto *get();
    // Zeroes secret bytes in a way the compiler may not drop (no libcrypto needed).
    static void cleanse(void *data, std::size_t size);

    decltype(&EVP_PKEY_new_raw_private_key) pkeyNewRawPrivateKey = nullptr;
    decltype(&EVP_PKEY_new_raw_public_key) pkeyNewRawPublicKey = nullptr;
    decltype(&EVP_PKEY_get_raw_public_key) pkeyGetRawPublicKey = nullptr;
    decltype(&EVP_PKEY_free) pkeyFree = nullptr;
    decltype(&EVP_MD_CTX_new) mdCtxNew = nullptr;
    decltype(&EVP_MD_CTX_free) mdCtxFree = nullptr;
    decltype(&EVP_DigestSignInit) digestSignInit = nullptr;
    decltype(&EVP_DigestSign) digestSign = nullptr;
    decltype(&EVP_DigestVerifyInit) digestVerifyInit = nullptr;
    decltype(&EVP_DigestVerify) digestVerify = nullptr;
    decltype(&RAND_bytes) randBytes = nullptr;

    // Whether a TLS client key belongs to its certificate can be told (NatsTlsConfig): the functions
    // below, which NKeys do not need, were found (EVP_PKEY_eq is OpenSSL 3's).
    bool canCompareKeys() const;
    decltype(&d2i_X509) d2iX509 = nullptr;
    decltype(&X509_free) x509Free = nullptr;
    decltype(&X509_get0_pubkey) x509Get0Pubkey = nullptr;
    decltype(&d2i_AutoPrivateKey) d2iAutoPrivateKey = nullptr;
    decltype(&EVP_PKEY_eq) pkeyEq = nullptr;
    decltype(&ERR_clear_error) errClearError = nullptr;

private:
    bool load();
};
