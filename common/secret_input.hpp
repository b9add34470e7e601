// SPDX-License-Identifier: GPL-3.0-or-later
// Reading PINs and passphrases, from a file or a terminal, straight into locked memory
// (secret_string), without ever putting them in argv or logs.
#pragma once

#include "common/secret.hpp"

#include <string>
#include <string_view>

namespace lacme {

// The longest secret line accepted; no PIN or passphrase is longer.
inline constexpr std::size_t max_secret_line = 4095;

// First line of a file (its line end, LF or CRLF, removed). Throws lacme::error naming the
// file, never quoting its contents.
secret_string read_secret_file(const std::string& path);

// Writes prompt to the terminal tty_fd (read and write: /dev/tty or a pty) and reads one line
// with echo off, restoring the terminal afterwards. Throws lacme::error at end of input.
secret_string prompt_secret(int tty_fd, std::string_view prompt);

// prompt_secret on the controlling terminal (/dev/tty). Throws lacme::error when there is none.
secret_string prompt_secret(std::string_view prompt);

// True when the process has a controlling terminal it can prompt on.
bool have_terminal();

}  // namespace lacme
