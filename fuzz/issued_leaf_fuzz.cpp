// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the master's check of the leaf certificate a client returns (its subjectAltName
// entries, DNS names and IP addresses as text, and its notBefore), which a compromised client or
// CA controls. Input: a DER certificate. Invariants: it passes or fails with a lacme::error
// whose message is one printable line (it goes to the log as is); a leaf that passes names
// exactly the section's identifiers.
#include "common/error.hpp"
#include "common/openssl_ptr.hpp"
#include "master/certificate_config.hpp"
#include "master/issued_leaf.hpp"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace lacme::master;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

const certificate_section& section()
{
    static const auto sections = parse_certificate_sections(
        "[fuzz]\ncertificate = /etc/ssl/fuzz.pem\ncertificate-key = /etc/ssl/fuzz.key\nsubject = /CN=example.org\n"
        "subjectAltName = DNS:www.example.org, IP:192.0.2.1, IP:2001:db8::1\n",
        "fuzz.conf");
    require(sections.size() == 1 && sections.front().errors.empty());
    return sections.front();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const unsigned char* p = data;
    const lacme::x509_ptr leaf(d2i_X509(nullptr, &p, static_cast<long>(size)));
    if (!leaf)
        return 0;
    const auto ordered_at = std::chrono::system_clock::from_time_t(1'700'000'000);
    try {
        check_issued_leaf(*leaf, section(), ordered_at);
    } catch (const lacme::error& e) {
        for (const char c : std::string_view(e.what()))
            require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
        return 0;
    }
    // Passed: its subjectAltName has as many entries as the section has identifiers (the
    // comparison is by set, so a repeated name may add one).
    const lacme::general_names_ptr alt(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf.get(), NID_subject_alt_name, nullptr, nullptr)));
    require(alt && static_cast<std::size_t>(sk_GENERAL_NAME_num(alt.get())) >= section().identifiers().size());
    return 0;
}
