// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/issued_leaf.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "common/openssl_ptr.hpp"
#include "common/text.hpp"
#include "common/x509_names.hpp"

#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <memory>
#include <set>
#include <string>

namespace lacme::master {
namespace {

std::string lowercase(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// Every subjectAltName entry as text; kinds a certificate section cannot ask for stay visible
// (and so never match).
std::set<std::string> names_of(const X509& leaf)
{
    std::set<std::string> names;
    const general_names_ptr alt(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(&leaf, NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; alt && i < sk_GENERAL_NAME_num(alt.get()); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(alt.get(), i);
        if (name->type == GEN_DNS)
            names.insert(lowercase(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                                               static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName)))));
        else if (name->type == GEN_IPADD)
            names.insert(ip_address_text(*name->d.iPAddress).value_or("<bad IP address>"));
        else
            names.insert("<subjectAltName of type " + std::to_string(name->type) + ">");
    }
    return names;
}

// The certificate's names come from the CA (through a client we do not trust): escaped, so the
// message stays one line whatever bytes they hold.
std::string joined(const std::set<std::string>& names)
{
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + printable_for_log(name, 100);
    return text.empty() ? "no name" : text;
}

std::string utc_text(std::time_t t)
{
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    std::array<char, 32> text{};
    const std::size_t size = std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M:%S UTC", &tm);
    return std::string(text.data(), size);
}

}  // namespace

void check_issued_leaf(const X509& leaf, const certificate_section& section,
                       std::chrono::system_clock::time_point ordered_at)
{
    std::set<std::string> expected;
    for (const auto& name : section.identifiers())
        expected.insert(lowercase(name));
    const auto names = names_of(leaf);
    if (names != expected)
        throw error("the issued certificate is for " + joined(names) + ", not for the section's " + joined(expected));
    const std::time_t earliest = std::chrono::system_clock::to_time_t(ordered_at - issuance_allowance);
    const int order = ASN1_TIME_cmp_time_t(X509_get0_notBefore(&leaf), earliest);
    if (order == -2)
        throw_openssl("invalid notBefore date");
    if (order < 0)
        throw error("the issued certificate is not new: valid from before " + utc_text(earliest) +
                    " (two hours before the order), an old certificate returned as new?");
}

}  // namespace lacme::master
