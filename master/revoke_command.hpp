// SPDX-License-Identifier: GPL-3.0-or-later
// lacme revokeCert FILE...: each PEM certificate sent (DER) to one client run, in turn.
#pragma once

#include "master/master_loop.hpp"

namespace lacme::master {

int run_revoke_command(master_loop& master);

}  // namespace lacme::master
