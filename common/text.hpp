// SPDX-License-Identifier: GPL-3.0-or-later
// Small ASCII text helpers shared by the config, HTTP and log code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lacme {

// Without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
[[nodiscard]] std::string_view trim(std::string_view text) noexcept;

// A-Z to a-z; every other byte unchanged (no locale: header names, config values, hex).
[[nodiscard]] std::string ascii_lower(std::string_view text);

// Two lowercase hex digits per byte (key ids, fingerprints).
[[nodiscard]] std::string hex_lower(std::span<const std::uint8_t> bytes);

// Text from outside (a CA, a peer, a file) made safe for one line of a log or a terminal:
// every byte below 0x20, DEL and every byte from 0x80 up becomes \xNN and a backslash becomes
// \\, so no newline, terminal escape or forged log line gets through. At most max_bytes of
// escaped text are kept (never half an escape); a cut is marked by a trailing "...[truncated]".
[[nodiscard]] std::string printable_for_log(std::string_view text, std::size_t max_bytes = 200);

// "a b  c" → {"a", "b", "c"}: lacme's split on whitespace (commands, lists in config values).
[[nodiscard]] std::vector<std::string> split_on_blanks(std::string_view text);

}  // namespace lacme
