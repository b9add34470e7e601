// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/listen_address.hpp"

#include "common/error.hpp"
#include "common/parse_number.hpp"
#include "common/text.hpp"

#include <arpa/inet.h>
#include <sys/un.h>

#include <cstring>

namespace lacme::master {
namespace {

[[noreturn]] void invalid(std::string_view text)
{
    throw error("invalid listen address: " + printable_for_log(text, 100));
}

std::uint16_t parse_port(std::string_view text, std::string_view whole)
{
    const auto value = parse_number<std::uint16_t>(text, 1, 65535);
    if (!value)
        invalid(whole);
    return *value;
}

listen_address unix_address(std::string_view text)
{
    listen_address a;
    auto* un = reinterpret_cast<sockaddr_un*>(&a.address);
    if (text.size() >= sizeof un->sun_path)
        invalid(text);
    un->sun_family = AF_UNIX;
    std::memcpy(un->sun_path, text.data(), text.size());
    a.length = sizeof(sockaddr_un);
    a.text = text;
    return a;
}

listen_address inet_address(std::string_view host, std::uint16_t port, bool v6, std::string_view whole)
{
    listen_address a;
    const std::string h(host);
    if (v6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&a.address);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        if (::inet_pton(AF_INET6, h.c_str(), &in6->sin6_addr) != 1)
            invalid(whole);
        a.length = sizeof(sockaddr_in6);
        a.text = "[" + h + "]:" + std::to_string(port);
    } else {
        auto* in = reinterpret_cast<sockaddr_in*>(&a.address);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        if (::inet_pton(AF_INET, h.c_str(), &in->sin_addr) != 1)
            invalid(whole);
        a.length = sizeof(sockaddr_in);
        a.text = h + ":" + std::to_string(port);
    }
    a.host = h;
    a.port = port;
    return a;
}

}  // namespace

listen_address parse_listen_address(std::string_view text)
{
    // inet_pton and the socket path stop at a NUL: "127.0.0.1\0junk" must not pass as 127.0.0.1.
    if (text.find('\0') != std::string_view::npos)
        invalid(text);
    if (text.starts_with('/'))
        return unix_address(text);
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            invalid(text);
        const auto rest = text.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':'))
            invalid(text);
        const std::uint16_t port = rest.empty() ? 80 : parse_port(rest.substr(1), text);
        return inet_address(text.substr(1, close - 1), port, true, text);
    }
    const auto colon = text.find(':');
    const std::uint16_t port = colon == std::string_view::npos ? 80 : parse_port(text.substr(colon + 1), text);
    return inet_address(text.substr(0, colon), port, false, text);
}

std::optional<listen_address> ipv4_side(const listen_address& a)
{
    if (a.family() != AF_INET6)
        return std::nullopt;
    const auto& addr = reinterpret_cast<const sockaddr_in6*>(&a.address)->sin6_addr;
    if (IN6_IS_ADDR_UNSPECIFIED(&addr))
        return inet_address("0.0.0.0", a.port, false, a.text);
    if (!IN6_IS_ADDR_V4MAPPED(&addr))
        return std::nullopt;
    char text[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, &addr.s6_addr[12], text, sizeof text);
    return inet_address(text, a.port, false, a.text);
}

}  // namespace lacme::master
