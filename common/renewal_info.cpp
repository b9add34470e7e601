// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/renewal_info.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/json_member.hpp"
#include "common/openssl_ptr.hpp"

#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace lacme {

namespace {

// Reads exactly `width` ASCII digits off the front of `s` (no sign, no blanks: RFC 3339's fields
// are fixed-width).
bool take_digits(std::string_view& s, std::size_t width, int& value)
{
    if (s.size() < width)
        return false;
    value = 0;
    for (const char c : s.substr(0, width)) {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    s.remove_prefix(width);
    return true;
}

// Takes one character off the front of `s` if it is one of `accepted`.
bool take_one_of(std::string_view& s, std::string_view accepted)
{
    if (s.empty() || accepted.find(s.front()) == std::string_view::npos)
        return false;
    s.remove_prefix(1);
    return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view s)
{
    std::tm tm{};
    std::string_view rest = s.substr(0, 64);
    if (!(take_digits(rest, 4, tm.tm_year) && take_one_of(rest, "-") && take_digits(rest, 2, tm.tm_mon) &&
          take_one_of(rest, "-") && take_digits(rest, 2, tm.tm_mday) && take_one_of(rest, "Tt ") &&
          take_digits(rest, 2, tm.tm_hour) && take_one_of(rest, ":") && take_digits(rest, 2, tm.tm_min) &&
          take_one_of(rest, ":") && take_digits(rest, 2, tm.tm_sec)))
        return std::nullopt;
    if (!rest.empty() && rest.front() == '.') {
        rest.remove_prefix(1);
        while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9')
            rest.remove_prefix(1);
    }
    long long offset = 0;
    if (rest == "Z" || rest == "z") {
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-')) {
        const long long sign = rest[0] == '+' ? 1 : -1;
        rest.remove_prefix(1);
        int h = 0, m = 0;
        if (!(take_digits(rest, 2, h) && take_one_of(rest, ":") && take_digits(rest, 2, m)))
            return std::nullopt;
        offset = sign * (h * 3600LL + m * 60LL);
    } else {
        return std::nullopt;
    }
    // system_clock counts nanoseconds in 64 bits (years 1678-2261): a CA's date outside the years
    // below is hostile or broken, and must not overflow the conversion.
    if (tm.tm_year < 1970 || tm.tm_year > 2200 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
        tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
        tm.tm_sec > 60)
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const std::time_t t = timegm(&tm);
    return std::chrono::system_clock::from_time_t(t) - std::chrono::seconds(offset);
}

std::string ari_certificate_id(std::string_view der)
{
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    x509_ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert)
        throw error("renewal-info: the certificate is not valid DER");
    const ASN1_OCTET_STRING* keyid = X509_get0_authority_key_id(cert.get());
    if (!keyid || ASN1_STRING_length(keyid) <= 0)
        throw error("renewal-info: the certificate has no Authority Key Identifier");
    const std::string aki(reinterpret_cast<const char*>(ASN1_STRING_get0_data(keyid)),
                          static_cast<std::size_t>(ASN1_STRING_length(keyid)));
    // The serial's DER content octets: big-endian two's complement, so a leading zero byte
    // when the top bit is set.
    bignum_ptr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
    if (!bn)
        throw error("renewal-info: unreadable serial number");
    std::string serial(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(serial.data()));
    if (serial.empty() || (static_cast<unsigned char>(serial.front()) & 0x80))
        serial.insert(serial.begin(), '\0');
    return base64url_encode(aki) + "." + base64url_encode(serial);
}

renewal_window suggested_window(const nlohmann::json& renewal_info)
{
    if (!renewal_info.is_object())
        throw error("renewalInfo: not a JSON object");
    const auto window = renewal_info.find("suggestedWindow");
    if (window == renewal_info.end() || !window->is_object())
        throw error("renewalInfo: no suggestedWindow");
    const auto start = find_string_member(*window, "start");
    const auto end = find_string_member(*window, "end");
    if (!start || !end)
        throw error("renewalInfo: suggestedWindow lacks start or end");
    const auto s = parse_rfc3339(*start);
    const auto e = parse_rfc3339(*end);
    if (!s || !e || *s >= *e)
        throw error("renewalInfo: invalid suggestedWindow");
    return {*s, *e};
}

}  // namespace lacme
