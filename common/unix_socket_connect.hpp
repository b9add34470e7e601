// SPDX-License-Identifier: GPL-3.0-or-later
// A connected stream socket to a UNIX socket's path: the one client-side connect that the
// master (to lacme-accountd), the client (the rollover's new key) and the relay share.
#pragma once

#include "common/unique_fd.hpp"

#include <string>
#include <string_view>

namespace lacme {

// Connects (retrying when a signal interrupts it). Throws lacme::error "socket path too long:
// PATH" for a path sun_path cannot hold ("empty socket path" for ""), else "FAILURE:
// strerror(errno)", where FAILURE defaults to "connect(PATH)".
[[nodiscard]] unique_fd connect_unix(const std::string& path, std::string_view failure = {});

}  // namespace lacme
