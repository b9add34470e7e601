// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/order_flow.hpp"

#include "client/account_lookup.hpp"
#include "client/challenge_files.hpp"
#include "client/dns_records.hpp"
#include "client/order_steps.hpp"

#include <memory>

namespace lacme::client {
namespace {

std::unique_ptr<challenge_responses> responses_for(acme_session& session, const order_request& request)
{
    if (request.challenge == "dns-01")
        return std::make_unique<dns_records>(session.accountd(), session.log());
    return std::make_unique<challenge_files>(session.log());
}

}  // namespace

std::string run_order(acme_session& session, const order_request& request)
{
    ensure_account_url(session, true);
    placed_order placed = place_order(session, request);
    const signed_post finalize = finalize_request(placed.body, request.csr_der);
    const auto responses = responses_for(session, request);
    const authorization_work work = authorize_all(session, placed.body, *responses);
    tracked_order order(session, std::move(placed), names_of(request));
    bool finalized = false;
    if (order.status() == "pending") {
        // Finalize before the first poll: validation on a nearby CA is done by then, and a poll
        // costs a signature. A CA that is not there yet answers orderNotReady.
        wait_for_validation(session, *responses, work);
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

}  // namespace lacme::client
