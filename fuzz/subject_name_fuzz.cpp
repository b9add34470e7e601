// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes a certificate section's `subject` ("/type=value/...", as `openssl req -subj` reads it)
// and `subjectAltName` ("DNS:name, IP:address") values. Input: the subject up to the first
// newline, the subjectAltName after it. Invariants: entries or a lacme::error, nothing else;
// entries written back (escaped) parse to the same entries and the same encoded X.509 name;
// subjectAltName entries written back parse to themselves.
#include "common/error.hpp"
#include "master/certificate_config.hpp"
#include "master/subject_name.hpp"

#include <openssl/objects.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace lacme::master;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

std::optional<std::vector<subject_entry>> subject_of(std::string_view text)
{
    try {
        return parse_subject(text);
    } catch (const lacme::error&) {
        return std::nullopt;
    }
}

// The DER of the X.509 name, or nullopt when OpenSSL refuses the values (a CN of 65 characters).
std::optional<std::string> der_of(const std::vector<subject_entry>& entries)
{
    lacme::master::x509_name_ptr name;
    try {
        name = make_x509_name(entries);
    } catch (const lacme::error&) {
        return std::nullopt;
    }
    unsigned char* out = nullptr;
    const int n = i2d_X509_NAME(name.get(), &out);
    require(n > 0);
    std::string der(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return der;
}

std::string written(const std::vector<subject_entry>& entries)
{
    std::string text = entries.empty() ? "/" : "";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        text += i > 0 && entries[i].joins_previous ? "+" : "/";
        text += OBJ_nid2sn(entries[i].nid);
        text += '=';
        for (const char c : entries[i].value) {
            if (c == '\\' || c == '/' || c == '+')
                text += '\\';
            text += c;
        }
    }
    return text;
}

void check_subject(std::string_view text)
{
    const auto entries = subject_of(text);
    if (!entries)
        return;
    for (const auto& e : *entries)
        require(e.nid != NID_undef && !e.value.empty());
    const auto again = subject_of(written(*entries));
    require(again && again->size() == entries->size());
    for (std::size_t i = 0; i < entries->size(); ++i)
        require((*again)[i].nid == (*entries)[i].nid && (*again)[i].value == (*entries)[i].value &&
                (i == 0 || (*again)[i].joins_previous == (*entries)[i].joins_previous));
    // The first entry has no RDN to join: with or without '+', the same name.
    require(der_of(*again) == der_of(*entries));
}

void check_alt_names(std::string_view text)
{
    std::vector<subject_alt_name> names;
    try {
        names = parse_subject_alt_names(text);
    } catch (const lacme::error&) {
        return;
    }
    require(!names.empty());
    std::string again;
    for (const auto& n : names) {
        require(!n.value.empty() && n.value.find_first_of(std::string_view(" ,\0", 3)) == std::string::npos);
        again +=
            (again.empty() ? "" : ", ") + std::string(n.type == subject_alt_name::kind::dns ? "DNS:" : "IP:") + n.value;
    }
    require(parse_subject_alt_names(again) == names);  // must not throw
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nl = input.find('\n');
    check_subject(input.substr(0, nl));
    check_alt_names(nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1));
    return 0;
}
