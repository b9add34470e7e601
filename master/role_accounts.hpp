// SPDX-License-Identifier: GPL-3.0-or-later
// The system users and groups the children run as ([client], [webserver], [accountd] user and
// group): one missing is a configuration error, found before anything starts.
#pragma once

#include "master/settings.hpp"

#include <string>
#include <vector>

namespace lacme::master {

// "/etc/lacme/lacme.conf:3: [client] user _lacme-client does not exist" (the file alone for a
// default), one line per missing user or group; the
// webserver's only when with_webserver (newOrder without challenge-directory).
std::vector<std::string> missing_role_accounts(const settings& s, bool with_webserver);

}  // namespace lacme::master
