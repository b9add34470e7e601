#include "accountd/file_signer.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "common/jws_signature.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

namespace lacme::accountd {
namespace {

struct passphrase_request {
    const file_signer::passphrase_source* source;
    std::string error;  // set when the source failed: reported instead of OpenSSL's "bad decrypt"
    bool asked = false;
};

int passphrase_callback(char* buf, int size, int /*rwflag*/, void* userdata)
{
    auto* request = static_cast<passphrase_request*>(userdata);
    request->asked = true;
    try {
        if (request->source == nullptr || !*request->source)
            throw error("the key is encrypted and no passphrase source is configured");
        const secret_string passphrase = (*request->source)();
        const auto& text = passphrase.reveal();
        if (text.size() > static_cast<std::size_t>(size))
            throw error("passphrase too long");
        std::memcpy(buf, text.data(), text.size());
        return static_cast<int>(text.size());
    } catch (const std::exception& e) {
        request->error = e.what();
        return -1;
    }
}

void check_key_consistency(EVP_PKEY* key, const std::string& origin)
{
    const evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    if (!ctx || EVP_PKEY_pairwise_check(ctx.get()) != 1) {
        ERR_clear_error();
        throw error(origin + ": invalid key (public and private parts do not match)");
    }
}

}  // namespace

std::unique_ptr<file_signer> file_signer::from_pem(std::string_view pem, const std::string& origin,
                                                   const passphrase_source& passphrase)
{
    const bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        throw_openssl("BIO_new_mem_buf");
    passphrase_request request{&passphrase, {}};
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
    check_key_consistency(key.get(), origin);
    return std::make_unique<file_signer>(std::move(key), std::move(pub));
}

file_signer::file_signer(evp_pkey_ptr key, account_public_key pub)
    : key_(std::move(key)), template_(EVP_MD_CTX_new()), alg_(pub.alg), jwk_(std::move(pub.jwk))
{
    if (!template_ || EVP_DigestSignInit(template_.get(), nullptr, jws_algorithm_digest(alg_), nullptr, key_.get()) != 1)
        throw_openssl("initialising signature");
}

std::vector<std::uint8_t> file_signer::sign(std::string_view signing_input)
{
    // A context of its own per signature: contexts are not shareable between threads. Copying
    // only reads the template, which is safe concurrently.
    const evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), template_.get()) != 1)
        throw_openssl("initialising signature");
    const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
    std::size_t len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &len, data, signing_input.size()) != 1)
        throw_openssl("sizing signature");
    std::vector<std::uint8_t> signature(len);
    if (EVP_DigestSign(ctx.get(), signature.data(), &len, data, signing_input.size()) != 1)
        throw_openssl("signing");
    signature.resize(len);
    if (const std::size_t raw = jws_ecdsa_signature_size(alg_); raw != 0)
        return ecdsa_der_to_raw(signature, raw);
    return signature;
}

}  // namespace lacme::accountd
