// SPDX-License-Identifier: GPL-3.0-or-later
// Path helpers for the files and sockets we create beside others.
#pragma once

#include <cstdlib>
#include <string>

namespace lacme {

// The directory holding path: "." for a bare name, "/" for a top-level entry.
inline std::string parent_directory(const std::string& path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// $TMPDIR, or /tmp when it is unset or empty: where a non-root run puts its temporary files.
inline std::string temp_directory()
{
    const char* tmp = std::getenv("TMPDIR");
    return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

}  // namespace lacme
