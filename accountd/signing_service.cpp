#include "accountd/signing_service.hpp"

#include "common/base64url.hpp"

namespace lacme::accountd {
namespace {

std::string describe_request(const signing_input_check& request)
{
    return "header=base64url(" + request.header + ") payload=base64url(" + request.payload + ")";
}

}  // namespace

signing_service::signing_service(signer& key, logger& log, std::optional<std::string> keyid)
    : key_(key), log_(log), identity_{std::string(jws_algorithm_name(key.algorithm())), key.jwk()}
{
    accountd_greeting g;
    g.alg = identity_.alg;
    g.jwk_thumbprint = jwk_thumbprint(key.jwk());
    if (keyid && !keyid->empty())
        g.kid = keyid;
    g.jwk = key.jwk();
    greeting_ = format_accountd_greeting(g);
}

std::optional<signing_input_check> signing_service::admit(std::string_view connection_id, std::string_view line)
{
    auto request = check_signing_input(line, identity_);
    if (request.verdict == signing_input_verdict::ok)
        return request;
    std::string message = "[" + std::string(connection_id) + "] NOSIGN [" + std::string(describe(request.verdict)) + "]";
    if (request.verdict != signing_input_verdict::malformed_header &&
        request.verdict != signing_input_verdict::malformed_payload)
        message += " " + describe_request(request);
    log_.info(message);
    return std::nullopt;
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
