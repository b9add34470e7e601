// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/text.hpp"

#include <algorithm>
#include <array>

namespace lacme {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

bool is_space(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// The printable form of one byte: itself, "\\" or "\xNN".
std::string_view escaped(char c, std::array<char, 4>& scratch) noexcept
{
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\')
        return "\\\\";
    if (byte >= 0x20 && byte < 0x7f) {
        scratch[0] = c;
        return {scratch.data(), 1};
    }
    scratch = {'\\', 'x', hex_digits[byte >> 4], hex_digits[byte & 0xf]};
    return {scratch.data(), scratch.size()};
}

}  // namespace

std::string_view trim(std::string_view text) noexcept
{
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

std::string ascii_lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string printable_for_log(std::string_view text, std::size_t max_bytes)
{
    std::string out;
    out.reserve(std::min(text.size(), max_bytes) + 16);
    std::array<char, 4> scratch{};
    for (const char c : text) {
        const std::string_view piece = escaped(c, scratch);
        if (out.size() + piece.size() > max_bytes) {
            out += "...[truncated]";
            break;
        }
        out += piece;
    }
    return out;
}

std::vector<std::string> split_on_blanks(std::string_view text)
{
    std::vector<std::string> items;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto start = text.find_first_not_of(" \t\r\n\f\v", i);
        if (start == std::string_view::npos)
            break;
        const auto end = std::min(text.find_first_of(" \t\r\n\f\v", start), text.size());
        items.emplace_back(text.substr(start, end - start));
        i = end;
    }
    return items;
}

std::string hex_lower(std::span<const std::uint8_t> bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const auto b : bytes) {
        out += hex_digits[b >> 4];
        out += hex_digits[b & 0xf];
    }
    return out;
}

}  // namespace lacme
