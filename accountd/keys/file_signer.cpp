// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/file_signer.hpp"

#include "accountd/keys/passphrase_callback.hpp"
#include "common/error.hpp"
#include "common/jws_signature.hpp"
#include "common/openssl_error.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace lacme::accountd {
namespace {

// One signature, made by the signer as every later one will be, verified with the key's public
// part: refuses a key whose parts do not belong together. (EVP_PKEY_pairwise_check would also
// test RSA's primes for primality: 40 ms at every start, for nothing a signature does not show.)
void check_key_consistency(file_signer& signer, EVP_PKEY* key, const std::string& origin)
{
    constexpr std::string_view probe = "lacme-accountd key self-test";
    bool consistent = false;
    try {
        consistent = jws_verify(key, signer.algorithm(), probe, signer.sign(probe));
    } catch (const lacme::error&) {
    }
    ERR_clear_error();
    if (!consistent)
        throw error(origin + ": invalid key (public and private parts do not match)");
}

}  // namespace

std::unique_ptr<file_signer> file_signer::from_pem(std::string_view pem, const std::string& origin,
                                                   const passphrase_source& passphrase)
{
    const bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        throw_openssl("BIO_new_mem_buf");
    passphrase_request request{&passphrase, {}, false};
    evp_pkey_ptr key(PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, passphrase_callback, &request, nullptr, nullptr));
    if (!key) {
        if (!request.error.empty()) {
            ERR_clear_error();
            throw error(origin + ": " + request.error);
        }
        ERR_clear_error();
        // OpenSSL reports a bad passphrase differently per PEM flavour; that we were asked for
        // one and decoding still failed is what identifies it.
        if (request.asked)
            throw error(origin + ": wrong passphrase (or damaged encrypted key)");
        throw error(origin + ": not a PEM private key");
    }
    account_public_key pub;
    try {
        pub = account_public_key_from(key.get());
    } catch (const lacme::error& e) {
        throw error(origin + ": " + e.what());
    }
    EVP_PKEY* public_part = key.get();  // owned by the signer from here on
    auto signer = std::make_unique<file_signer>(std::move(key), std::move(pub));
    check_key_consistency(*signer, public_part, origin);
    return signer;
}

file_signer::file_signer(evp_pkey_ptr key, account_public_key pub)
    : key_(std::move(key)), template_(EVP_MD_CTX_new()), alg_(pub.alg), jwk_(std::move(pub.jwk))
{
    if (!template_ ||
        EVP_DigestSignInit(template_.get(), nullptr, jws_algorithm_digest(alg_), nullptr, key_.get()) != 1)
        throw_openssl("initialising signature");
}

std::vector<std::uint8_t> file_signer::sign(std::string_view signing_input)
{
    // A context of its own per signature: contexts are not shareable between threads. Copying
    // only reads the template, which is safe concurrently.
    const evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), template_.get()) != 1)
        throw_openssl("initialising signature");
    return jws_digest_sign(ctx.get(), alg_, signing_input);
}

}  // namespace lacme::accountd
