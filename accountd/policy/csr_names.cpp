// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/csr_names.hpp"

#include "common/base64url.hpp"
#include "common/openssl_ptr.hpp"
#include "common/x509_names.hpp"

#include <arpa/inet.h>
#include <openssl/x509v3.h>

namespace lacme::accountd {
namespace {

// Far beyond any CA's limit (Let's Encrypt: 100 names); bounds the work for hostile input.
constexpr int max_names = 4096;
// Real CSRs request a handful; bounds the pairwise duplicate check.
constexpr int max_extensions = 64;

std::string string_of(const ASN1_STRING* s)
{
    return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<std::size_t>(ASN1_STRING_length(s))};
}

identifier identifier_of(const GENERAL_NAME* name)
{
    switch (name->type) {
    case GEN_DNS: return {"dns", string_of(name->d.dNSName)};
    case GEN_IPADD:
        if (auto text = ip_address_text(*name->d.iPAddress))
            return {"ip", *text};
        return {"ip", "(malformed)"};
    case GEN_EMAIL: return {"email", string_of(name->d.rfc822Name)};
    case GEN_URI: return {"uri", string_of(name->d.uniformResourceIdentifier)};
    default: return {"san-type-" + std::to_string(name->type), ""};
    }
}

bool add_general_names(const GENERAL_NAMES* names, std::vector<identifier>& out)
{
    const int count = sk_GENERAL_NAME_num(names);
    if (count > max_names)
        return false;
    for (int i = 0; i < count; ++i)
        out.push_back(identifier_of(sk_GENERAL_NAME_value(names, i)));
    return true;
}

bool is_address(const std::string& text)
{
    in6_addr scratch{};
    return text.find('\0') == std::string::npos &&
           (::inet_pton(AF_INET, text.c_str(), &scratch) == 1 || ::inet_pton(AF_INET6, text.c_str(), &scratch) == 1);
}

bool add_common_names(const X509_NAME* subject, std::vector<identifier>& out)
{
    if (subject == nullptr)
        return false;
    int count = 0;
    for (int i = -1; (i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) >= 0;) {
        if (++count > max_names)
            return false;
        const std::string cn = string_of(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i)));
        out.push_back({is_address(cn) ? "ip" : "dns", cn});
    }
    return true;
}

// The extension-request attribute's single value, read the way every CA parser reads it, or
// nullopt. Go's crypto/x509 merges the extensions of every extensionRequest attribute and
// ignores msExtReq; OpenSSL reads only the first of either: so at most one such attribute, with
// exactly one value. NULL from X509_REQ_get_extensions means unreadable (OpenSSL 3 returns an
// empty stack when there are none).
x509_extensions_ptr requested_extensions(const X509_REQ* request)
{
    int attributes = 0;
    for (const int nid : {NID_ext_req, NID_ms_ext_req})
        for (int i = -1; (i = X509_REQ_get_attr_by_NID(request, nid, i)) >= 0;) {
            if (++attributes > 1 || X509_ATTRIBUTE_count(X509_REQ_get_attr(request, i)) != 1)
                return nullptr;
        }
    return x509_extensions_ptr(X509_REQ_get_extensions(const_cast<X509_REQ*>(request)));
}

// No extension twice (Go refuses or keeps the last; OpenSSL might read the first).
bool extensions_distinct(const STACK_OF(X509_EXTENSION) * extensions)
{
    const int count = sk_X509_EXTENSION_num(extensions);
    for (int i = 0; i < count; ++i)
        for (int j = i + 1; j < count; ++j)
            if (OBJ_cmp(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(extensions, i)),
                        X509_EXTENSION_get_object(sk_X509_EXTENSION_value(extensions, j))) == 0)
                return false;
    return true;
}

// The object of type T (d2i: its DER decoder) that fills the whole decoded input, or null.
template <class T, auto D2i, auto Free>
std::unique_ptr<T, openssl_deleter<Free>> decode_whole(std::string_view base64url_der)
{
    const auto der = base64url_decode(base64url_der);
    if (!der || der->empty())
        return nullptr;
    const auto* p = reinterpret_cast<const unsigned char*>(der->data());
    std::unique_ptr<T, openssl_deleter<Free>> object(D2i(nullptr, &p, static_cast<long>(der->size())));
    if (object && p != reinterpret_cast<const unsigned char*>(der->data()) + der->size())
        object.reset();  // trailing bytes
    return object;
}

}  // namespace

std::optional<std::vector<identifier>> csr_names(std::string_view base64url_der)
{
    const auto request = decode_whole<X509_REQ, d2i_X509_REQ, X509_REQ_free>(base64url_der);
    if (!request)
        return std::nullopt;
    std::vector<identifier> names;
    if (!add_common_names(X509_REQ_get_subject_name(request.get()), names))
        return std::nullopt;
    const x509_extensions_ptr extensions = requested_extensions(request.get());
    if (!extensions || sk_X509_EXTENSION_num(extensions.get()) > max_extensions ||
        !extensions_distinct(extensions.get()))
        return std::nullopt;
    for (int i = 0; i < sk_X509_EXTENSION_num(extensions.get()); ++i) {
        X509_EXTENSION* ext = sk_X509_EXTENSION_value(extensions.get(), i);
        if (OBJ_obj2nid(X509_EXTENSION_get_object(ext)) != NID_subject_alt_name)
            continue;
        const general_names_ptr sans(static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(ext)));
        if (!sans || !add_general_names(sans.get(), names))
            return std::nullopt;
    }
    return names;
}

std::optional<std::vector<identifier>> certificate_names(std::string_view base64url_der)
{
    const auto certificate = decode_whole<X509, d2i_X509, X509_free>(base64url_der);
    if (!certificate)
        return std::nullopt;
    std::vector<identifier> names;
    if (!add_common_names(X509_get_subject_name(certificate.get()), names))
        return std::nullopt;
    int critical = 0;
    const general_names_ptr sans(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate.get(), NID_subject_alt_name, &critical, nullptr)));
    if (!sans) {
        // -1: no such extension; anything else (a malformed one, or several) is not ours to guess.
        return critical == -1 ? std::optional(names) : std::nullopt;
    }
    if (!add_general_names(sans.get(), names))
        return std::nullopt;
    return names;
}

}  // namespace lacme::accountd
