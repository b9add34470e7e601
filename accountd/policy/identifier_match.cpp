// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/identifier_match.hpp"

#include "common/error.hpp"
#include "common/parse_number.hpp"
#include "common/text.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <optional>

namespace lacme::accountd {
namespace {

struct parsed_address {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t length = 0;
};

std::optional<parsed_address> parse_address(std::string_view text)
{
    if (text.size() >= INET6_ADDRSTRLEN)
        return std::nullopt;
    const std::string zero_terminated(text);
    parsed_address a;
    if (::inet_pton(AF_INET, zero_terminated.c_str(), a.bytes.data()) == 1)
        a.length = 4;
    else if (::inet_pton(AF_INET6, zero_terminated.c_str(), a.bytes.data()) == 1)
        a.length = 16;
    else
        return std::nullopt;
    return a;
}

// ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible, deprecated): Go's net.ParseIP
// and the CA read the first as the IPv4 address a.b.c.d, whatever an IPv6 policy said.
bool embeds_ipv4(const parsed_address& a)
{
    const auto zero = [](std::uint8_t b) { return b == 0; };
    return a.length == 16 && std::all_of(a.bytes.begin(), a.bytes.begin() + 10, zero) &&
           ((a.bytes[10] == 0xff && a.bytes[11] == 0xff) || (a.bytes[10] == 0 && a.bytes[11] == 0));
}

bool same_prefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, unsigned bits)
{
    const unsigned whole = bits / 8;
    if (!std::equal(a.begin(), a.begin() + whole, b.begin()))
        return false;
    if (bits % 8 == 0)
        return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits % 8));
    return (a[whole] & mask) == (b[whole] & mask);
}

// Letters, digits, '-', '.', and '_' (seen in real names); no empty label.
bool is_dns_name(std::string_view name)
{
    if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string_view::npos)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    });
}

// "*." and a DNS name: the only wildcard form RFC 8555 §7.1.3 defines (one leading label).
bool is_wildcard_name(std::string_view name)
{
    return name.starts_with("*.") && is_dns_name(name.substr(2));
}

// The next space- or tab-separated word of text, lower case; text loses it.
std::string next_word(std::string_view& text)
{
    text = trim(text);
    const std::size_t end = std::min(text.find_first_of(" \t"), text.size());
    std::string word = ascii_lower(text.substr(0, end));
    text.remove_prefix(end);
    return word;
}

}  // namespace

std::string to_string(const identifier& id)
{
    return id.type + ":" + id.value;
}

identifier_patterns identifier_patterns::parse(std::string_view text)
{
    identifier_patterns result;
    while (!trim(text).empty()) {
        const std::string pattern = next_word(text);
        const std::size_t slash = pattern.find('/');
        if (const auto address = parse_address(std::string_view(pattern).substr(0, slash))) {
            unsigned prefix = static_cast<unsigned>(address->length * 8);
            if (slash != std::string::npos) {
                const auto bits = parse_number<unsigned>(std::string_view(pattern).substr(slash + 1), 0, prefix);
                if (!bits)
                    throw error("invalid CIDR prefix in '" + printable_for_log(pattern) + "'");
                prefix = *bits;
            }
            result.networks_.push_back({address->bytes, address->length, prefix});
        } else if (is_wildcard_name(pattern)) {
            result.suffixes_.push_back(pattern.substr(1));
        } else if (is_dns_name(pattern)) {
            result.names_.push_back(pattern);
        } else {
            throw error("invalid identifier pattern '" + printable_for_log(pattern) +
                        "' (a name, *.suffix, an IP address or a CIDR block)");
        }
        result.text_.push_back(pattern);
    }
    return result;
}

void identifier_patterns::allow_wildcards(std::string_view text)
{
    while (!trim(text).empty()) {
        std::string name = next_word(text);
        if (!is_wildcard_name(name))
            throw error("invalid wildcard name '" + printable_for_log(name) + "' (*.domain, as in the certificate)");
        wildcards_.push_back(std::move(name));
    }
}

bool identifier_patterns::allows(const identifier& id) const
{
    if (id.type == "dns")
        return allows_name(ascii_lower(id.value));
    if (id.type == "ip")
        return allows_address(id.value);
    return false;
}

bool identifier_patterns::allows_name(std::string_view name) const
{
    // A wildcard identifier only by its own entry in wildcards_: a "*.suffix" pattern allows the
    // names below suffix, not a certificate for all of them.
    if (name.starts_with("*."))
        return is_wildcard_name(name) && std::find(wildcards_.begin(), wildcards_.end(), name) != wildcards_.end();
    if (!is_dns_name(name))
        return false;
    if (std::find(names_.begin(), names_.end(), name) != names_.end())
        return true;
    return std::any_of(suffixes_.begin(), suffixes_.end(), [name](const std::string& suffix) {
        return name.size() > suffix.size() && name.ends_with(suffix);
    });
}

bool identifier_patterns::allows_address(std::string_view text) const
{
    const auto address = parse_address(text);
    if (!address || embeds_ipv4(*address))
        return false;
    return std::any_of(networks_.begin(), networks_.end(), [&address](const network& n) {
        return n.length == address->length && same_prefix(n.address, address->bytes, n.prefix);
    });
}

}  // namespace lacme::accountd
