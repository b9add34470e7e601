// SPDX-License-Identifier: GPL-3.0-or-later
// libuv status codes as lacme::error: what failed, then libuv's message.
#pragma once

#include <string_view>

namespace lacme::uv {

// Throws lacme::error "WHAT: uv_strerror(status)" for a negative libuv status.
[[noreturn]] void throw_error(std::string_view what, int status);

// Throws as throw_error when status is negative (a libuv failure); returns otherwise.
inline void check(int status, std::string_view what)
{
    if (status < 0)
        throw_error(what, status);
}

}  // namespace lacme::uv
