// SPDX-License-Identifier: GPL-3.0-or-later
// The DEBUG variable lacme's master exports to the client and the webserver.
#pragma once

#include <cstdlib>
#include <string_view>

namespace lacme {

// lacme's master always sets DEBUG, to "0" when --debug is off; as in Perl, unset, "" and "0"
// are false.
[[nodiscard]] inline bool debug_from_environment()
{
    const char* v = std::getenv("DEBUG");
    return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

}  // namespace lacme
