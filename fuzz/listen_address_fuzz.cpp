// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes lacme.conf's [webserver] listen items: IPV4[:PORT], [IPV6][:PORT] or a UNIX socket
// path. Invariants: an address or a lacme::error, nothing else; what is accepted has the family
// and length of its kind, a text without NUL (it names the socket in logs, iptables rules and
// the webserver's arguments) that parses back to the same address, and a port in 1..65535;
// the IPv4 side of a dual-stack address is an IPv4 address that parses back too.
#include "common/error.hpp"
#include "master/listen_address.hpp"

#include <sys/un.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

using namespace lacme::master;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

std::optional<listen_address> parsed(std::string_view text)
{
    try {
        return parse_listen_address(text);
    } catch (const lacme::error& e) {
        require(std::string_view(e.what()).find('\n') == std::string_view::npos ||
                text.find('\n') != std::string_view::npos);
        return std::nullopt;
    }
}

void check(const listen_address& a)
{
    require(a.text.find('\0') == std::string::npos && a.host.find('\0') == std::string::npos);
    switch (a.family()) {
    case AF_UNIX:
        require(a.length == sizeof(sockaddr_un) && a.text.starts_with('/') && a.host.empty() && a.port == 0);
        break;
    case AF_INET: require(a.length == sizeof(sockaddr_in) && a.port > 0); break;
    case AF_INET6: require(a.length == sizeof(sockaddr_in6) && a.port > 0 && a.text.starts_with('[')); break;
    default: std::abort();
    }
    const auto again = parsed(a.text);
    require(again && again->length == a.length && std::memcmp(&again->address, &a.address, a.length) == 0 &&
            again->text == a.text && again->host == a.host && again->port == a.port);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto a = parsed(text);
    if (!a)
        return 0;
    check(*a);
    if (const auto v4 = ipv4_side(*a)) {
        require(a->family() == AF_INET6 && v4->family() == AF_INET && v4->port == a->port);
        check(*v4);
    }
    return 0;
}
