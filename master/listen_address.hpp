// SPDX-License-Identifier: GPL-3.0-or-later
// lacme's [webserver] listen items: IPV4[:PORT], [IPV6][:PORT] (port 80 by default) or the
// absolute path of a UNIX-domain socket.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lacme::master {

struct listen_address {
    sockaddr_storage address{};
    socklen_t length = 0;
    std::string text;  // as printed: 127.0.0.1:80, [::1]:80, /run/lacme-www.socket
    std::string host;  // numeric address without port (TCP only)
    std::uint16_t port = 0;  // TCP only

    [[nodiscard]] int family() const noexcept { return address.ss_family; }
};

// Throws lacme::error "invalid address: ..." for anything else.
listen_address parse_listen_address(std::string_view text);

// The IPv4 address a dual-stack (not IPV6_V6ONLY) socket bound to a also accepts, as lacme
// opens it in iptables: 0.0.0.0 for ::, a.b.c.d for ::ffff:a.b.c.d; nullopt otherwise.
std::optional<listen_address> ipv4_side(const listen_address& a);

}  // namespace lacme::master
