// SPDX-License-Identifier: GPL-3.0-or-later
// `lacme-accountd --relay=NAME`, a web host's forced command on the signing host: it holds no
// key and opens no token; it connects to the daemon's relay socket, sends the relay header (the
// listener its authorized_keys line names, and the SSH caller from sshd's environment), then
// copies bytes between stdin/stdout (the SSH session) and the socket until either side ends.
#pragma once

#include "accountd/relay/relay_header.hpp"

#include <functional>
#include <string>

namespace lacme::accountd {

// Returns the exit status: 0 once both directions are done. Throws lacme::error when the
// socket cannot be reached, when the daemon refuses the relay (a NOSIGN line, passed on to
// stdout first, or no greeting at all) or an I/O error occurs. `connected` runs once the socket is
// connected, before anything is sent (main enters the relay's sandbox there).
int run_relay(const std::string& socket_path, const relay_header& header, const std::function<void()>& connected);

}  // namespace lacme::accountd
