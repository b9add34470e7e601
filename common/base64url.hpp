// SPDX-License-Identifier: GPL-3.0-or-later
// base64url without padding (RFC 4648 §5, RFC 7515 §2), as JOSE uses it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lacme {

std::string base64url_encode(std::span<const std::uint8_t> bytes);
std::string base64url_encode(std::string_view bytes);

// True when every character is in [A-Za-z0-9_-] (the empty string qualifies).
bool is_base64url_alphabet(std::string_view text) noexcept;

// Strict decoding: alphabet only, no padding, no impossible length (len % 4 == 1), and unused
// trailing bits must be zero so that every byte string has exactly one encoding.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace lacme
