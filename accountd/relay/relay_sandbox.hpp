// SPDX-License-Identifier: GPL-3.0-or-later
// What `lacme-accountd --relay=NAME` may do once it is connected to the daemon's relay socket:
// copy bytes between stdin/stdout (the SSH session) and that one socket, nothing else. Its one
// sandbox table (accountd/relay/relay_sandbox.cpp), printed in lacme-accountd(1) under SANDBOX
// ("The relay"); test/unit/accountd/sandbox_table_test.cpp keeps them equal.
#pragma once

#include "common/sandbox.hpp"

namespace lacme::accountd {

const sandbox::policy& relay_sandbox_policy() noexcept;

}  // namespace lacme::accountd
