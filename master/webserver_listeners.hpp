// SPDX-License-Identifier: GPL-3.0-or-later
// The http-01 responders: each [webserver] listen address bound by the master (UNIX sockets
// with umask 0111, so anyone may connect), and one webserver child per address, dropped to
// [webserver] user/group, cwd the challenge directory, `command FD`. Children get SIGTERM and
// UNIX socket files are unlinked when this goes away.
#pragma once

#include "common/child_process.hpp"
#include "common/unique_fd.hpp"
#include "master/listen_address.hpp"
#include "master/settings.hpp"

#include <vector>

namespace lacme::master {

class webserver_listeners {
public:
    webserver_listeners(const webserver_settings& web, const std::string& challenge_dir, bool debug);
    webserver_listeners(const webserver_listeners&) = delete;
    webserver_listeners& operator=(const webserver_listeners&) = delete;
    ~webserver_listeners();

    [[nodiscard]] const std::vector<listen_address>& addresses() const noexcept { return addresses_; }
    // What iptables must open: the addresses, and the IPv4 side of each dual-stack IPv6 socket.
    [[nodiscard]] const std::vector<listen_address>& firewall_addresses() const noexcept { return firewall_; }

private:
    struct listener {
        unique_fd socket;
        child_process server;
        std::string unix_path;  // unlinked at the end
    };
    std::vector<listen_address> addresses_;
    std::vector<listen_address> firewall_;
    std::vector<listener> listeners_;
};

}  // namespace lacme::master
