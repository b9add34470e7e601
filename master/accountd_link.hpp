// SPDX-License-Identifier: GPL-3.0-or-later
// The run's one connection to lacme-accountd: a socketpair to a spawned `[accountd] command
// --stdio ...` (possibly `ssh -T host lacme-accountd`), or a connection to an existing daemon's
// UNIX socket after lacme's permission checks.
#pragma once

#include "common/child_process.hpp"
#include "common/unique_fd.hpp"
#include "master/settings.hpp"

#include <optional>

namespace lacme::master {

struct accountd_link {
    unique_fd connection;
    std::optional<child_process> child;  // the spawned accountd, if any
};

accountd_link open_accountd_link(const settings& s, bool debug);

// `[accountd] command --stdio ...` as its user, on a socketpair (the run's link, or the new
// key's accountd of `account --rollover`).
accountd_link spawn_accountd(const accountd_settings& accountd, bool debug);

// The argv lacme runs for [accountd]: command, --stdio, --config=, --privkey=, --quiet, --debug.
std::vector<std::string> accountd_argv(const accountd_settings& accountd, bool debug);

}  // namespace lacme::master
