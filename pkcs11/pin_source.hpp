// SPDX-License-Identifier: GPL-3.0-or-later
// Where a token PIN comes from: the URI (pin-value=, pin-source=file:...), a PIN file, or a
// prompt on the terminal without echo. Every PIN is read straight into a lacme::secret_string
// (locked memory, wiped on destruction, see common/secret.hpp); it is never logged.
#pragma once

#include "common/secret.hpp"
#include "pkcs11/uri.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lacme::pkcs11 {

// The PIN file's first line (without its line end); throws lacme::error naming the file. An
// empty PIN file is an error: it is almost always a mistake.
secret_string read_pin_file(const std::string& path);

// pin-source values: "file:/path", "file:///path" or a plain absolute path.
secret_string read_pin_source(std::string_view source);

// The PIN the configuration gives for the key u selects, first found: the URI's pin-value, its
// pin-source, then pin_file (when not empty); nullopt when none is configured.
std::optional<secret_string> configured_pin(const uri& u, const std::string& pin_file);

// Asks on /dev/tty without echo when standard input is a terminal; nullopt otherwise (no one to
// ask, or standard input is a peer as with --stdio). Throws lacme::error on an empty answer.
std::optional<secret_string> prompt_pin_if_interactive(std::string_view prompt);

}  // namespace lacme::pkcs11
