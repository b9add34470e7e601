// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/order_flow.hpp"

#include "client/account_lookup.hpp"
#include "client/challenge_files.hpp"
#include "client/order_steps.hpp"

#include "common/error.hpp"

#include <arpa/inet.h>

namespace lacme::client {

nlohmann::json identifier_for(const std::string& name)
{
    unsigned char addr[16];
    if (::inet_pton(AF_INET, name.c_str(), addr) == 1)
        return {{"type", "ip"}, {"value", name}};
    if (::inet_pton(AF_INET6, name.c_str(), addr) == 1) {
        char text[INET6_ADDRSTRLEN];
        if (!::inet_ntop(AF_INET6, addr, text, sizeof text))
            throw_errno("inet_ntop");
        return {{"type", "ip"}, {"value", std::string(text)}};
    }
    return {{"type", "dns"}, {"value", name}};
}

std::string run_order(acme_session& session, const order_request& request)
{
    ensure_account_url(session, true);
    placed_order placed = place_order(session, request);
    const signed_post finalize = finalize_request(placed.body, request.csr_der);
    challenge_files files(session.log());
    const authorization_work work = authorize_all(session, placed.body, files);
    tracked_order order(session, std::move(placed), names_of(request));
    bool finalized = false;
    if (order.status() == "pending") {
        // Finalize before the first poll: validation on a nearby CA is done by then, and a poll
        // costs a signature. A CA that is not there yet answers orderNotReady.
        wait_for_validation(session, files, work);
        finalized = order.try_finalize(finalize);
    }
    order.poll_while({"pending"});
    order.fail_if_invalid(work);
    if (order.status() == "ready" && !finalized)
        order.finalize(finalize);
    order.poll_while({"ready", "processing"});
    order.fail_if_invalid(work);
    return download_chain(session, order.certificate_url(), request.preferred_chain);
}

std::string names_of(const order_request& request)
{
    std::string names;
    for (const auto& n : request.names)
        names += (names.empty() ? "" : ", ") + n;
    return names;
}

}  // namespace lacme::client
