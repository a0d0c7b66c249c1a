#include "natscrypto.h"

#include <openssl/opensslv.h>

#include <QtCore/QLibrary>

#include <string.h>

namespace {

// libcrypto.so.3 for OpenSSL 3 (the soname follows the major version), libcrypto.so.1.1 before it: the
// library whose headers this was built with.
QLibrary *cryptoLibrary()
{
#if OPENSSL_VERSION_MAJOR >= 3
    static QLibrary library(QStringLiteral("crypto"), QString::number(OPENSSL_VERSION_MAJOR));
#else
    static QLibrary library(QStringLiteral("crypto"), QStringLiteral("1.1"));
#endif
    return &library;
}

template<typename Function>
bool resolve(Function *function, const char *name)
{
    *function = reinterpret_cast<Function>(cryptoLibrary()->resolve(name));
    return *function != nullptr;
}

} // namespace

const NatsCrypto *NatsCrypto::get()
{
    static const NatsCrypto *loaded = [] {
        static NatsCrypto crypto;
        return crypto.load() ? &crypto : nullptr;
    }();
    return loaded;
}

bool NatsCrypto::load()
{
    // Never unloaded: OpenSSL keeps state of its own (it is NODELETE anyway).
    if (!cryptoLibrary()->load())
        return false;
    resolve(&d2iX509, "d2i_X509");
    resolve(&x509Free, "X509_free");
    resolve(&x509Get0Pubkey, "X509_get0_pubkey");
    resolve(&d2iAutoPrivateKey, "d2i_AutoPrivateKey");
    resolve(&pkeyEq, "EVP_PKEY_eq");
    resolve(&errClearError, "ERR_clear_error");
    return resolve(&pkeyNewRawPrivateKey, "EVP_PKEY_new_raw_private_key")
        && resolve(&pkeyNewRawPublicKey, "EVP_PKEY_new_raw_public_key")
        && resolve(&pkeyGetRawPublicKey, "EVP_PKEY_get_raw_public_key") && resolve(&pkeyFree, "EVP_PKEY_free")
        && resolve(&mdCtxNew, "EVP_MD_CTX_new") && resolve(&mdCtxFree, "EVP_MD_CTX_free")
        && resolve(&digestSignInit, "EVP_DigestSignInit") && resolve(&digestSign, "EVP_DigestSign")
        && resolve(&digestVerifyInit, "EVP_DigestVerifyInit") && resolve(&digestVerify, "EVP_DigestVerify")
        && resolve(&randBytes, "RAND_bytes");
}

bool NatsCrypto::canCompareKeys() const
{
    return d2iX509 && x509Free && x509Get0Pubkey && d2iAutoPrivateKey && pkeyEq && errClearError && pkeyFree;
}

void NatsCrypto::cleanse(void *data, std::size_t size)
{
    ::explicit_bzero(data, size);
}
