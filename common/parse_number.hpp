// SPDX-License-Identifier: GPL-3.0-or-later
// Integers from outside text (arguments, config values, headers, state files): the whole text
// as one number in range, or nothing. Each caller words its own error.
#pragma once

#include <charconv>
#include <concepts>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace lacme {

// `text` as an integer in [low, high]: ASCII digits of `base` (10, or 8 for a file mode), with a
// leading '-' only when low is negative. Nothing else is accepted: not empty text, a '+', white
// space, a "0x", a trailing byte, or a value that overflows T.
template <std::integral T>
[[nodiscard]] constexpr std::optional<T> parse_number(std::string_view text, T low = std::numeric_limits<T>::min(),
                                                      T high = std::numeric_limits<T>::max(), int base = 10) noexcept
{
    if constexpr (std::is_signed_v<T>) {
        if (low >= 0 && text.starts_with('-'))
            return std::nullopt;  // "-0" is not a count, a port or a descriptor
    }
    T value{};
    // cppcheck-suppress invalidLifetime ; text views the caller's string, alive for the call
    const char* const last = text.data() + text.size();
    // cppcheck-suppress invalidLifetime
    const auto [end, ec] = std::from_chars(text.data(), last, value, base);
    if (text.empty() || ec != std::errc() || end != last || value < low || value > high)
        return std::nullopt;
    return value;
}

}  // namespace lacme
