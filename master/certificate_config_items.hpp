// SPDX-License-Identifier: GPL-3.0-or-later
// Where the certificate configuration is read from, for newOrder and check alike.
#pragma once

#include "master/command_line.hpp"
#include "master/settings.hpp"

#include <string>
#include <vector>

namespace lacme::master {

// The config-certs list as lacme builds it: --config-certs, else lacme.conf's, else the
// defaults; each item %-expanded.
std::vector<std::string> certificate_config_items(const settings& s, const command_line& cl);

}  // namespace lacme::master
