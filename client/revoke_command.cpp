#include "client/revoke_command.hpp"

#include "client/debug_log.hpp"
#include "client/client_error.hpp"
#include "client/order_flow.hpp"

#include "common/base64url.hpp"

#include <iostream>

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
    session.post_ok({url, payload, !by_account, {}}, "revokeCert");
    if (session.debug())
        std::cerr << debug_prefix() << "certificate revoked\n";
}

}  // namespace lacme::client
