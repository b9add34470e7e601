// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/pin_source.hpp"

#include "common/error.hpp"
#include "common/secret_input.hpp"

#include <unistd.h>

namespace lacme::pkcs11 {

secret_string read_pin_file(const std::string& path)
{
    secret_string pin = read_secret_file(path);
    if (pin.empty())
        throw error("PIN file " + path + " is empty");
    return pin;
}

secret_string read_pin_source(std::string_view source)
{
    std::string_view path = source;
    if (path.starts_with("file://"))
        path.remove_prefix(7);
    else if (path.starts_with("file:"))
        path.remove_prefix(5);
    if (!path.starts_with("/"))
        throw error("pin-source=" + std::string(source) + ": only file: sources with an absolute path are supported");
    return read_pin_file(std::string(path));
}

std::optional<secret_string> configured_pin(const uri& u, const std::string& pin_file)
{
    if (auto value = u.pin_value())
        return secret_string(*value);
    if (auto source = u.pin_source())
        return read_pin_source(*source);
    if (!pin_file.empty())
        return read_pin_file(pin_file);
    return std::nullopt;
}

std::optional<secret_string> prompt_pin_if_interactive(std::string_view prompt)
{
    if (::isatty(STDIN_FILENO) != 1 || !have_terminal())
        return std::nullopt;
    secret_string pin = prompt_secret(prompt);
    if (pin.empty())
        throw error("no PIN entered");
    return pin;
}

}  // namespace lacme::pkcs11
