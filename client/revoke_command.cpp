// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/revoke_command.hpp"

#include "client/account_lookup.hpp"
#include "client/client_error.hpp"

#include "common/base64url.hpp"

namespace lacme::client {

void run_revoke(acme_session& session, const std::string& certificate_der, std::optional<int> reason)
{
    if (certificate_der.empty())
        throw lacme::error("revokeCert: no certificate on stdin");
    const acme_directory& dir = session.directory();
    const std::string& url = dir.require(dir.revoke_cert, "revokeCert");
    // Without an account for this key, it is (we assume) the certificate's key: sign with jwk.
    const bool by_account = ensure_account_url(session, false);
    nlohmann::json payload = {{"certificate", base64url_encode(certificate_der)}};
    if (reason)
        payload["reason"] = *reason;
    session.post_ok({.url = url, .payload = payload, .use_jwk = !by_account}, "revokeCert");
    session.log().debug("certificate revoked");
}

}  // namespace lacme::client
