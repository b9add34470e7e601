// SPDX-License-Identifier: GPL-3.0-or-later
// What the client may do once it talks to the CA: its one sandbox table (printed in lacme(8)
// under CLIENT SANDBOX; test/unit/client/sandbox_table_test.cpp keeps them equal).
#pragma once

#include "common/sandbox.hpp"

#include <string>
#include <vector>

namespace lacme::client {

const sandbox::policy& sandbox_policy() noexcept;

// The paths only known at run time, granted beside the table's: the challenge directory (the
// cwd, newOrder only: the other commands write no file) and the `SSL_CAfile` anchors. The
// rules view `ca_file`, which must outlive them.
std::vector<sandbox::path_rule> runtime_path_rules(bool writes_challenge_files, const std::string& ca_file);

}  // namespace lacme::client
