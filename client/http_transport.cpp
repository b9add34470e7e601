// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/http_transport.hpp"

#include "common/text.hpp"

namespace lacme::client {

std::optional<std::string> http_response::header(std::string_view name) const
{
    for (const auto& [n, v] : headers)
        if (n == name)
            return v;
    return std::nullopt;
}

std::vector<std::string> http_response::headers_named(std::string_view name) const
{
    std::vector<std::string> values;
    for (const auto& [n, v] : headers)
        if (n == name)
            values.push_back(v);
    return values;
}

std::string http_response::media_type() const
{
    const auto value = header("content-type");
    if (!value)
        return {};
    return ascii_lower(trim(std::string_view(*value).substr(0, value->find(';'))));
}

}  // namespace lacme::client
