// SPDX-License-Identifier: GPL-3.0-or-later
// lacme check [--config-certs=FILE] [SECTION...] (ours): validates lacme.conf's users, groups
// and commands, then every selected certificate section, without contacting the CA or
// starting any child. One line per problem; exit 0 when there is none, 1 otherwise.
#pragma once

#include "common/log.hpp"
#include "master/command_line.hpp"
#include "master/settings.hpp"

#include <string>
#include <vector>

namespace lacme::master {

int run_check_command(const settings& s, const command_line& cl, logger& log);

// Problems with the [client], [webserver] and [accountd] settings: unknown users or groups,
// commands that are not executable. The webserver's command and listen/challenge-directory
// matter only when a section uses http-01 (a run of dns-01 sections starts no webserver).
std::vector<std::string> check_settings(const settings& s, bool http_01 = true);

}  // namespace lacme::master
