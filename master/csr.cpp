// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/csr.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "master/certificate_files.hpp"
#include "master/subject_name.hpp"

#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

namespace lacme::master {
namespace {

std::string alt_names_value(const std::vector<subject_alt_name>& names)
{
    std::string value;
    for (const auto& name : names)
        value += (value.empty() ? "" : ",") + std::string(name.type == subject_alt_name::kind::dns ? "DNS:" : "IP:") +
                 name.value;
    return value;
}

// The subjectAltName entries as written, and first the subject's CN when they lack it
// (lacme.conf(5): "the names requested are the subject's last CN ..., then these entries"): a CA
// issues only names that the request carries in subjectAltName, so a section with a CN and no
// subjectAltName would fail at finalize. With the CN among the entries, the request is lacme 0.8's.
std::vector<subject_alt_name> requested_names(const certificate_section& section)
{
    std::vector<subject_alt_name> names = section.subject_alt_names;
    for (const auto& id : section.identifiers()) {
        const auto it =
            std::find_if(names.begin(), names.end(), [&](const subject_alt_name& alt) { return alt.value == id; });
        if (it == names.end())
            names.insert(names.begin(), subject_alt_name{subject_alt_name::kind::dns, id});
    }
    return names;
}

void add_extension(STACK_OF(X509_EXTENSION) * extensions, X509V3_CTX& ctx, int nid, const std::string& value)
{
    X509_EXTENSION* extension = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str());
    if (extension == nullptr)
        throw_openssl(std::string(OBJ_nid2sn(nid)) + ": invalid value '" + value + "'");
    if (sk_X509_EXTENSION_push(extensions, extension) == 0) {
        X509_EXTENSION_free(extension);
        throw_openssl("sk_X509_EXTENSION_push");
    }
}

void add_extensions(X509_REQ* request, const certificate_section& section)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, nullptr, nullptr, request, nullptr, 0);
    const x509_extensions_ptr extensions(sk_X509_EXTENSION_new_null());
    if (!extensions)
        throw_openssl("sk_X509_EXTENSION_new_null");
    add_extension(extensions.get(), ctx, NID_basic_constraints, "critical, CA:FALSE");
    add_extension(extensions.get(), ctx, NID_subject_key_identifier, "hash");
    if (section.key_usage)
        add_extension(extensions.get(), ctx, NID_key_usage, "critical, " + *section.key_usage);
    if (const auto names = requested_names(section); !names.empty())
        add_extension(extensions.get(), ctx, NID_subject_alt_name, alt_names_value(names));
    if (section.tls_feature)
        add_extension(extensions.get(), ctx, NID_tlsfeature, *section.tls_feature);
    if (X509_REQ_add_extensions(request, extensions.get()) != 1)
        throw_openssl("X509_REQ_add_extensions");
}

// nullptr: the key type's default digest, as `openssl req` without -HASH (none for Ed25519).
const EVP_MD* digest_of(const certificate_section& section, const EVP_PKEY& key)
{
    if (!section.hash)
        return nullptr;
    if (EVP_PKEY_is_a(&key, "ED25519") || EVP_PKEY_is_a(&key, "ED448"))
        throw error("hash: " + *section.hash + " cannot be used with " + EVP_PKEY_get0_type_name(&key) + " keys");
    const EVP_MD* md = EVP_get_digestbyname(section.hash->c_str());
    if (md == nullptr)
        throw_openssl("hash: unknown digest " + *section.hash);
    return md;
}

}  // namespace

std::vector<unsigned char> build_csr(const certificate_section& section)
{
    const evp_pkey_ptr key = load_service_key(section.certificate_key);
    const x509_req_ptr request(X509_REQ_new());
    if (!request || X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1)
        throw_openssl("X509_REQ_new");
    const auto name = make_x509_name(parse_subject(section.subject));
    if (X509_REQ_set_subject_name(request.get(), name.get()) != 1 || X509_REQ_set_pubkey(request.get(), key.get()) != 1)
        throw_openssl("X509_REQ_set_subject_name");
    add_extensions(request.get(), section);
    if (X509_REQ_sign(request.get(), key.get(), digest_of(section, *key)) <= 0)
        throw_openssl("can't sign the request with " + section.certificate_key);
    const int size = i2d_X509_REQ(request.get(), nullptr);
    std::vector<unsigned char> der(static_cast<std::size_t>(size > 0 ? size : 0));
    unsigned char* out = der.data();
    if (size <= 0 || i2d_X509_REQ(request.get(), &out) != size)
        throw_openssl("i2d_X509_REQ");
    return der;
}

}  // namespace lacme::master
