// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssh/openssh_public_key.hpp"

#include "common/base64url.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdint>

namespace lacme::ssh {
namespace {

constexpr std::size_t max_type_length = 64;

bool is_type_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' || c == '.' ||
           c == '_' || c == '-';
}

bool is_printable_ascii(std::string_view text) noexcept
{
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// Standard base64 (RFC 4648 §4, padded) decoded through common's strict base64url decoder: the
// two alphabets differ only in '+' '/' versus '-' '_' and in the padding.
std::optional<std::string> base64_decode(std::string_view text)
{
    if (text.empty() || text.size() % 4 != 0)
        return std::nullopt;
    const auto padding = text.size() - text.find_last_not_of('=') - 1;
    if (padding > 2)
        return std::nullopt;
    std::string url(text.substr(0, text.size() - padding));
    for (char& c : url) {
        if (c == '-' || c == '_')
            return std::nullopt;
        if (c == '+')
            c = '-';
        else if (c == '/')
            c = '_';
    }
    return base64url_decode(url);
}

// The first string of the SSH wire encoding of a key blob: its type name.
std::optional<std::string_view> blob_type(std::string_view blob)
{
    if (blob.size() < 4)
        return std::nullopt;
    std::uint32_t length = 0;
    for (std::size_t i = 0; i < 4; ++i)
        length = (length << 8) | static_cast<unsigned char>(blob[i]);
    if (length > blob.size() - 4)
        return std::nullopt;
    return blob.substr(4, length);
}

}  // namespace

std::optional<openssh_public_key> parse_openssh_public_key(std::string_view line)
{
    if (!is_printable_ascii(line))
        return std::nullopt;
    const auto type_end = line.find(' ');
    if (type_end == std::string_view::npos)
        return std::nullopt;
    const auto type = line.substr(0, type_end);
    if (type.empty() || type.size() > max_type_length || !std::all_of(type.begin(), type.end(), is_type_char))
        return std::nullopt;
    const auto rest = line.substr(type_end + 1);
    const auto base64_end = rest.find(' ');
    const auto base64 = rest.substr(0, base64_end);
    if (base64.size() > max_public_key_base64)
        return std::nullopt;
    const auto blob = base64_decode(base64);
    if (!blob || blob_type(*blob) != type)
        return std::nullopt;
    const auto comment = base64_end == std::string_view::npos ? std::string_view() : rest.substr(base64_end + 1);
    return openssh_public_key{std::string(type), std::string(base64), std::string(comment)};
}

std::string fingerprint(const openssh_public_key& key)
{
    const auto blob = base64_decode(key.base64).value_or(std::string());
    std::uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const std::uint8_t*>(blob.data()), blob.size(), digest);
    std::string text = base64url_encode(std::span<const std::uint8_t>(digest));
    std::replace(text.begin(), text.end(), '-', '+');
    std::replace(text.begin(), text.end(), '_', '/');
    return "SHA256:" + text;
}

}  // namespace lacme::ssh
