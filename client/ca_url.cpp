// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/ca_url.hpp"

#include "client/client_error.hpp"

#include "common/text.hpp"

#include <cctype>

namespace lacme::client {
namespace {

// "https" of "HTTPS://host/x"; "" when `url` does not start with a scheme and "://".
std::string scheme_of(std::string_view url)
{
    const std::size_t end = url.find("://");
    if (end == std::string_view::npos || end == 0)
        return {};
    for (const char c : url.substr(0, end))
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
            return {};
    return ascii_lower(url.substr(0, end));
}

// "host:port" (lowercased) of an absolute URL.
std::string authority_of(std::string_view url)
{
    std::string_view rest = url.substr(url.find("://") + 3);
    return ascii_lower(rest.substr(0, rest.find_first_of("/?#")));
}

}  // namespace

url_origin check_ca_url(std::string_view directory_url, std::string_view url)
{
    const std::string scheme = scheme_of(url);
    if (scheme != "https" && scheme != "http")
        throw acme_error("refusing the CA's URL '" + printable_for_log(url, 200) + "': not an absolute http(s) URL");
    const std::string directory_scheme = scheme_of(directory_url);
    if (scheme == "http" && directory_scheme == "https")
        throw acme_error("refusing the CA's plain http URL '" + printable_for_log(url, 200) +
                         "' (the directory is https)");
    if (scheme != directory_scheme || authority_of(url) != authority_of(directory_url))
        return url_origin::other;
    return url_origin::same;
}

}  // namespace lacme::client
