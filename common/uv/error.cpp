// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/error.hpp"

#include "common/error.hpp"

#include <uv.h>

#include <string>

namespace lacme::uv {

void throw_error(std::string_view what, int status)
{
    throw lacme::error(std::string(what) + ": " + uv_strerror(status));
}

}  // namespace lacme::uv
