// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.hpp"

#include <cerrno>
#include <cstring>

namespace lacme {

void throw_errno(std::string_view what)
{
    const int saved = errno;
    throw error(std::string(what) + ": " + std::strerror(saved));
}

}  // namespace lacme
