// Reading PINs and passphrases without ever putting them in argv or logs.
#pragma once

#include "common/secret.hpp"

#include <string>
#include <string_view>

namespace lacme {

// First line of a file (trailing CR/LF removed). Throws lacme::error naming the file, never
// quoting its contents.
secret_string read_secret_file(const std::string& path);

// Prompts on the controlling terminal (/dev/tty) with echo off. Throws lacme::error when there
// is no terminal.
secret_string prompt_secret(std::string_view prompt);

// True when the process has a controlling terminal it can prompt on.
bool have_terminal();

}  // namespace lacme
