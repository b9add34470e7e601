// SPDX-License-Identifier: GPL-3.0-or-later
// `revokeCert` (RFC 8555 §7.6): the certificate (DER) comes on stdin. Signed with the account
// key (kid) when accountd's key has an account, else with the key itself (jwk): that is how a
// certificate's own key revokes it when accountd is pointed at it.
#pragma once

#include "client/acme_session.hpp"

#include <optional>
#include <string>

namespace lacme::client {

// reason: RFC 5280 CRLReason code, omitted when nullopt.
void run_revoke(acme_session& session, const std::string& certificate_der, std::optional<int> reason);

}  // namespace lacme::client
