// SPDX-License-Identifier: GPL-3.0-or-later
// Which URLs from the CA the client will send a request to (authorizations, challenges,
// finalize, order and certificate URLs, alternates, Location, directory entries). The rule:
// - the scheme must be http or https: nothing else (and no relative reference) gets a request,
//   signed or not;
// - when the directory (the `server` setting) is https://, a plain http:// URL is refused: a
//   signed request or a certificate must not travel in clear because the CA's JSON said so;
// - another host than the directory's is allowed (some CAs serve downloads from elsewhere) and
//   only reported at debug level.
#pragma once

#include <string>
#include <string_view>

namespace lacme::client {

enum class url_origin { same, other };

// Throws acme_error naming the (sanitized) URL when the rule above refuses it.
url_origin check_ca_url(std::string_view directory_url, std::string_view url);

}  // namespace lacme::client
