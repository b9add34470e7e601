// SPDX-License-Identifier: GPL-3.0-or-later
// What the webserver may do once it serves: its one sandbox table (printed in
// lacme-webserver(8) under SANDBOX; test/unit/webserver/sandbox_table_test.cpp keeps them equal).
#pragma once

#include "common/sandbox.hpp"

namespace lacme::web {

const sandbox::policy& sandbox_policy() noexcept;

}  // namespace lacme::web
