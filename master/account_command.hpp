// SPDX-License-Identifier: GPL-3.0-or-later
// lacme account [--register] [--tos-agreed] [--deactivate] [CONTACT...], plus ours: --eab-kid/
// --eab-hmac-key (external account binding) and --rollover (keyChange): one client run whose
// stdout (the account object) is the master's stdout, as in lacme.
#pragma once

#include "master/master_loop.hpp"

namespace lacme::master {

int run_account_command(master_loop& master);

}  // namespace lacme::master
