// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/order_request.hpp"

#include "common/error.hpp"

#include <arpa/inet.h>

namespace lacme::client {

nlohmann::json identifier_for(const std::string& name)
{
    unsigned char addr[16];
    if (::inet_pton(AF_INET, name.c_str(), addr) == 1)
        return {{"type", "ip"}, {"value", name}};
    if (::inet_pton(AF_INET6, name.c_str(), addr) == 1) {
        char text[INET6_ADDRSTRLEN];
        if (!::inet_ntop(AF_INET6, addr, text, sizeof text))
            throw_errno("inet_ntop");
        return {{"type", "ip"}, {"value", std::string(text)}};
    }
    return {{"type", "dns"}, {"value", name}};
}

std::string names_of(const order_request& request)
{
    std::string names;
    for (const auto& n : request.names)
        names += (names.empty() ? "" : ", ") + n;
    return names;
}

}  // namespace lacme::client
