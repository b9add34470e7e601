// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/relay/relay_header.hpp"

#include "common/error.hpp"
#include "ssh/openssh_public_key.hpp"

#include <vector>

namespace lacme::accountd {
namespace {

constexpr std::string_view magic = "lacme-relay";
constexpr std::string_view version = "1";
constexpr std::size_t max_listener_name = 64;
constexpr std::string_view unknown_field = "-";

std::vector<std::string_view> split_on_spaces(std::string_view text)
{
    std::vector<std::string_view> words;
    for (;;) {
        const auto end = text.find(' ');
        words.push_back(text.substr(0, end));
        if (end == std::string_view::npos || words.size() > 7)
            return words;
        text.remove_prefix(end + 1);
    }
}

relay_header_result refused(std::string reason)
{
    return {std::nullopt, std::move(reason)};
}

}  // namespace

bool is_listener_name(std::string_view name)
{
    if (name.empty() || name.size() > max_listener_name || name == unknown_field || name.front() == '.')
        return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

std::string format_relay_header(const relay_header& header)
{
    if (!is_listener_name(header.listener))
        throw error("invalid listener name '" + header.listener + "' (letters, digits, . _ -, at most 64)");
    std::string line = std::string(magic) + " " + std::string(version) + " " + header.listener;
    line += " " + (ssh::is_caller_address(header.caller.address) ? header.caller.address : "- -");
    const auto key = ssh::parse_openssh_public_key(header.caller.key);
    line += " " + (key && key->comment.empty() ? key->text() : "- -");
    return line + "\n";
}

relay_header_result parse_relay_header(std::string_view line)
{
    if (line.size() >= max_relay_header)
        return refused("relay header too long");
    const auto words = split_on_spaces(line);
    if (words.size() < 2 || words[0] != magic)
        return refused("not a relay header");
    if (words[1] != version)
        return refused("unsupported relay header version");
    if (words.size() != 7)
        return refused("malformed relay header");
    relay_header header;
    if (!is_listener_name(words[2]))
        return refused("invalid listener name in relay header");
    header.listener = std::string(words[2]);
    if (words[3] != unknown_field || words[4] != unknown_field) {
        const std::string address = std::string(words[3]) + " " + std::string(words[4]);
        if (!ssh::is_caller_address(address))
            return refused("invalid caller address in relay header");
        header.caller.address = address;
    }
    if (words[5] != unknown_field || words[6] != unknown_field) {
        const std::string text = std::string(words[5]) + " " + std::string(words[6]);
        const auto key = ssh::parse_openssh_public_key(text);
        if (!key || !key->comment.empty())
            return refused("invalid caller key in relay header");
        header.caller.key = key->text();
    }
    return {std::move(header), {}};
}

}  // namespace lacme::accountd
