// SPDX-License-Identifier: GPL-3.0-or-later
// lacme's SSL_version setting, in IO::Socket::SSL syntax: colon-separated protocol names, '!'
// excludes one, SSLv23 means "all" ("SSLv23:!TLSv1:!TLSv1_1"), as curl's min/max version bits.
#pragma once

#include <string_view>

namespace lacme::client {

// Throws lacme::error naming an unknown or empty selection.
long curl_ssl_version(std::string_view ssl_version);

}  // namespace lacme::client
