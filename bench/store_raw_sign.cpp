// SPDX-License-Identifier: GPL-3.0-or-later
// store-raw-sign: a provider's own signing rate, for comparison with lacme-accountd's store:
// keys: loads the key an OSSL_STORE URI names with plain OpenSSL (the PROVIDER and "default" in a
// library context), then calls EVP_DigestSignInit_ex + EVP_DigestSign N times in one thread, as
// `openssl pkeyutl -rawin` would per invocation, without the process start.
//
// usage: store-raw-sign PROVIDER URI DIGEST SIGNATURES    (DIGEST: SHA256 or SHA384)
#include "common/openssl_ptr.hpp"
#include "bench/process_cpu.hpp"

#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/store.h>

#include <chrono>
#include <iostream>
#include <string>

namespace {

using libctx_ptr = std::unique_ptr<OSSL_LIB_CTX, lacme::openssl_deleter<OSSL_LIB_CTX_free>>;
using provider_ptr = std::unique_ptr<OSSL_PROVIDER, lacme::openssl_deleter<OSSL_PROVIDER_unload>>;
using store_ptr = std::unique_ptr<OSSL_STORE_CTX, lacme::openssl_deleter<OSSL_STORE_close>>;
using info_ptr = std::unique_ptr<OSSL_STORE_INFO, lacme::openssl_deleter<OSSL_STORE_INFO_free>>;

lacme::evp_pkey_ptr load_key(OSSL_LIB_CTX* libctx, const char* uri)
{
    const store_ptr store(OSSL_STORE_open_ex(uri, libctx, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));
    while (store && OSSL_STORE_eof(store.get()) != 1) {
        const info_ptr info(OSSL_STORE_load(store.get()));
        if (info && OSSL_STORE_INFO_get_type(info.get()) == OSSL_STORE_INFO_PKEY)
            return lacme::evp_pkey_ptr(OSSL_STORE_INFO_get1_PKEY(info.get()));
    }
    return {};
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 5) {
        std::cerr << "usage: store-raw-sign PROVIDER URI DIGEST SIGNATURES\n";
        return 2;
    }
    const libctx_ptr libctx(OSSL_LIB_CTX_new());
    const provider_ptr provider(OSSL_PROVIDER_load(libctx.get(), argv[1]));
    const provider_ptr fallback(OSSL_PROVIDER_load(libctx.get(), "default"));
    auto key = provider && fallback ? load_key(libctx.get(), argv[2]) : lacme::evp_pkey_ptr();
    if (!key) {
        std::cerr << "store-raw-sign: cannot load " << argv[2] << "\n";
        ERR_print_errors_fp(stderr);
        return 1;
    }
    const int count = std::stoi(argv[4]);
    const std::string input = "eyJhbGciOiJFUzI1NiJ9.eyJub25jZSI6Im4ifQ";
    unsigned char signature[1024];
    int failures = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int n = 0; n < count; ++n) {
        const lacme::evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
        std::size_t len = sizeof signature;
        if (!ctx ||
            EVP_DigestSignInit_ex(ctx.get(), nullptr, argv[3], libctx.get(), nullptr, key.get(), nullptr) != 1 ||
            EVP_DigestSign(ctx.get(), signature, &len, reinterpret_cast<const unsigned char*>(input.data()),
                           input.size()) != 1)
            ++failures;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << argv[3] << " signatures=" << count << " failures=" << failures << " seconds=" << seconds
              << " rate=" << static_cast<long>(count / seconds)
              << " cpu_us_per_signature=" << lacme::process_cpu_seconds() * 1e6 / count << "\n";
    return failures == 0 ? 0 : 1;
}
