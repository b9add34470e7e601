// SPDX-License-Identifier: GPL-3.0-or-later
// The account URL (kid) every kid-signed request needs, shared by the account, newOrder and
// revokeCert commands.
#pragma once

#include "client/acme_session.hpp"

namespace lacme::client {

// From accountd's greeting, else newAccount with onlyReturnExisting (one signature). Returns
// false when the key has no account; throws acme_error for that instead when `required`.
bool ensure_account_url(acme_session& session, bool required);

}  // namespace lacme::client
