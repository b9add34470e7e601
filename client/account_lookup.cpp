// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/account_lookup.hpp"

#include "client/client_error.hpp"

#include "common/text.hpp"

namespace lacme::client {

bool ensure_account_url(acme_session& session, bool required)
{
    if (session.kid())
        return true;
    const http_response r = session.post({.url = session.directory().new_account,
                                          .payload = nlohmann::json{{"onlyReturnExisting", true}},
                                          .use_jwk = true});
    if (r.success()) {
        const auto location = r.header("location");
        if (!location || location->empty())
            throw acme_error("newAccount: the CA sent no account URL (Location)");
        session.set_kid(*location);
        session.log().debug("Key ID: " + printable_for_log(*location, 200));
        return true;
    }
    if (required)
        throw_failure(r, "account lookup");
    return false;
}

}  // namespace lacme::client
