// SPDX-License-Identifier: GPL-3.0-or-later
// lacme newOrder [--config-certs=FILE] [--min-days=N|--force] [--json] [--jobs=N] [SECTION...]:
// decides per section whether to renew, builds the CSRs, brings up the challenge responders
// (only when something is to be issued), runs the clients concurrently, verifies and installs
// each chain as it arrives, then runs the notify commands and prints the summary.
#pragma once

#include "master/master_loop.hpp"

namespace lacme::master {

int run_order_command(master_loop& master);

}  // namespace lacme::master
