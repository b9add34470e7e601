// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/chain_verification.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace lacme::master {
namespace {

using x509_store_ctx_ptr = std::unique_ptr<X509_STORE_CTX, openssl_deleter<X509_STORE_CTX_free>>;
// Holds pointers it does not own: freeing the stack leaves the certificates alone.
struct stack_deleter {
    void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_free(stack); }
};
using x509_stack_ptr = std::unique_ptr<STACK_OF(X509), stack_deleter>;

x509_ptr copy_of(X509& cert)
{
    if (X509_up_ref(&cert) != 1)
        throw_openssl("X509_up_ref");
    return x509_ptr(&cert);
}

bool is_self_signed(X509& cert)
{
    return X509_check_issued(&cert, &cert) == X509_V_OK;
}

std::vector<x509_ptr> path_of(X509_STORE_CTX& ctx)
{
    const x509_owning_stack_ptr verified(X509_STORE_CTX_get1_chain(&ctx));
    if (!verified)
        throw_openssl("X509_STORE_CTX_get1_chain");
    std::vector<x509_ptr> path;
    const int count = sk_X509_num(verified.get());
    for (int i = 0; i < count; ++i) {
        X509* cert = sk_X509_value(verified.get(), i);
        if (i == 0 || i + 1 < count || !is_self_signed(*cert))
            path.push_back(copy_of(*cert));
    }
    return path;
}

}  // namespace

x509_store_ptr load_trust_store(const std::string& ca_file)
{
    x509_store_ptr store(X509_STORE_new());
    if (!store)
        throw_openssl("X509_STORE_new");
    if (X509_STORE_load_file(store.get(), ca_file.c_str()) != 1)
        throw_openssl("CAfile " + ca_file + ": can't load trusted certificates");
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store.get());
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i)
        if (X509_OBJECT_get_type(sk_X509_OBJECT_value(objects, i)) == X509_LU_X509)
            return store;
    throw error("CAfile " + ca_file + ": no certificate in it");
}

std::vector<x509_ptr> verify_server_chain(std::span<const x509_ptr> chain, X509_STORE& trusted)
{
    const x509_stack_ptr untrusted(sk_X509_new_null());
    if (!untrusted)
        throw_openssl("sk_X509_new_null");
    for (const auto& cert : chain.subspan(1))
        if (sk_X509_push(untrusted.get(), cert.get()) == 0)
            throw_openssl("sk_X509_push");
    const x509_store_ctx_ptr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), &trusted, chain.front().get(), untrusted.get()) != 1)
        throw_openssl("X509_STORE_CTX_init");
    if (X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER) != 1)
        throw_openssl("X509_STORE_CTX_set_purpose");
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_X509_STRICT);
    if (X509_verify_cert(ctx.get()) != 1) {
        const int code = X509_STORE_CTX_get_error(ctx.get());
        ERR_clear_error();
        throw error(std::string("certificate verification failed: ") + X509_verify_cert_error_string(code));
    }
    return path_of(*ctx);
}

std::vector<x509_ptr> issuing_prefix(std::span<const x509_ptr> chain)
{
    std::vector<x509_ptr> prefix;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        if (i > 0) {
            X509& issuer = *chain[i];
            X509& subject = *chain[i - 1];
            EVP_PKEY* issuer_key = X509_get0_pubkey(&issuer);
            if (X509_check_issued(&issuer, &subject) != X509_V_OK || issuer_key == nullptr ||
                X509_verify(&subject, issuer_key) != 1)
                break;
        }
        prefix.push_back(copy_of(*chain[i]));
    }
    ERR_clear_error();
    return prefix;
}

}  // namespace lacme::master
