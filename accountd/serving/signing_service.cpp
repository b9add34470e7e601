// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/signing_service.hpp"

#include "common/base64url.hpp"
#include "common/text.hpp"

namespace lacme::accountd {
namespace {

constexpr std::size_t max_logged_bytes = 1024;  // of the header, and of the payload

std::string describe_request(const signing_input_check& request)
{
    return "header=base64url(" + printable_for_log(request.header, max_logged_bytes) + ") payload=base64url(" +
           printable_for_log(request.payload, max_logged_bytes) + ")";
}

std::string not_logged(std::uint64_t dropped)
{
    return dropped == 0 ? "" : " (" + std::to_string(dropped) + " more refused, not logged)";
}

// A bare LF, not CRLF: Perl's client then stops at its "s/\r\n\z// or die" instead of sending
// the line to the CA as a signature (doc/accountd-protocol.md).
std::string nosign_line(std::string_view reason)
{
    return std::string(accountd_refusal_prefix) + printable_for_log(reason) + "\n";
}

}  // namespace

signing_service::signing_service(signer& key, logger& log, std::optional<std::string> keyid, tenant fallback)
    : key_(key), log_(log),
      fallback_(std::move(fallback)), identity_{std::string(jws_algorithm_name(key.algorithm())), key.jwk()}
{
    accountd_greeting g;
    g.alg = identity_.alg;
    g.jwk_thumbprint = jwk_thumbprint(key.jwk());
    if (keyid && !keyid->empty())
        g.kid = keyid;
    g.jwk = key.jwk();
    greeting_ = format_accountd_greeting(g);
}

admission signing_service::admit(std::string_view connection_id, const tenant& who, std::string_view line)
{
    auto request = check_signing_input(line, identity_);
    if (request.verdict != signing_input_verdict::ok) {
        const bool decoded = request.verdict != signing_input_verdict::malformed_header &&
                             request.verdict != signing_input_verdict::malformed_payload;
        log_refusal(connection_id, describe(request.verdict), decoded ? &request : nullptr);
        return {};
    }
    if (who.guard == nullptr)
        return {admitted_request{std::move(request), {}, nullptr}, {}};
    auto verdict = who.guard->authorize(request, who.caller);
    if (verdict.refusal) {
        log_refusal(connection_id, *verdict.refusal, &request);
        return {std::nullopt, nosign_line(*verdict.refusal)};
    }
    return {admitted_request{std::move(request), std::move(verdict.grant), who.guard}, {}};
}

signing_service::release_step signing_service::release(std::string_view connection_id, const admitted_request& request)
{
    if (request.guard != nullptr) {
        auto record = request.guard->record_signature(request.grant);
        if (record.pending)
            return {std::nullopt, record.pending};
        if (record.refusal)
            return {released(connection_id, request, record.refusal), std::nullopt};
    }
    log_signed(connection_id, request.input);
    return {};
}

std::optional<std::string> signing_service::await_record(const admitted_request& request, audit_ticket ticket)
{
    return request.guard->await_record(ticket);
}

std::optional<std::string> signing_service::released(std::string_view connection_id, const admitted_request& request,
                                                     const std::optional<std::string>& failure)
{
    if (failure) {
        log_refusal(connection_id, *failure, &request.input);
        return nosign_line(*failure);
    }
    log_signed(connection_id, request.input);
    return std::nullopt;
}

void signing_service::log_refusal(std::string_view connection_id, std::string_view reason,
                                  const signing_input_check* request)
{
    const std::lock_guard lock(refusals_mutex_);
    if (!log_.enabled(log_level::verbose)) {
        if (const auto dropped = refusal_summaries_.admit("NOSIGN"))
            log_.info("[" + std::string(connection_id) + "] NOSIGN [" + std::string(reason) + "]" +
                      not_logged(*dropped) + "; details at the verbose level");
    }
    if (!log_.wants(log_level::verbose))
        return;
    if (const auto dropped = refusal_details_.admit("NOSIGN"))
        log_.verbose("[" + std::string(connection_id) + "] NOSIGN [" + std::string(reason) + "]" +
                     (request ? " " + describe_request(*request) : "") + not_logged(*dropped));
}

std::string signing_service::sign(std::string_view line) const
{
    return base64url_encode(key_.sign(line)) + "\r\n";
}

void signing_service::log_signed(std::string_view connection_id, const signing_input_check& request)
{
    if (log_.wants(log_level::verbose))  // skip building the message at high signing rates
        log_.verbose("[" + std::string(connection_id) + "] SIGNED " + describe_request(request));
}

}  // namespace lacme::accountd
