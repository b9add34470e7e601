// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/signing_service.hpp"

#include "fixed_signer.hpp"
#include "test/support/printers.hpp"
#include "test/support/stderr_capture.hpp"
#include "test/support/temp_dir.hpp"
#include "test/support/test_keys.hpp"
#include "accountd/keys/file_signer.hpp"
#include "common/base64url.hpp"
#include "common/jws_signature.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>

using lacme::base64url_decode;
using lacme::base64url_encode;
using lacme::jws_algorithm;
using lacme::log_level;
using lacme::logger;
using lacme::accountd::file_signer;
using lacme::accountd::signing_service;
using json = nlohmann::json;

using lacme::test::fixed_signer;
using lacme::test::rfc7638_n;
using lacme::test::valid_line;

namespace {

std::unique_ptr<file_signer> signer_for(EVP_PKEY* key)
{
    return file_signer::from_pem(lacme::test::private_key_pem(key, lacme::test::pem_format::pkcs8), "test key", {});
}

std::string order_line(std::string_view name)
{
    const json header = {{"alg", "RS256"},
                         {"nonce", "bm9uY2U"},
                         {"url", "https://acme.example/acme/new-order"},
                         {"kid", "https://acme.example/acme/acct/1"}};
    const json payload = {{"identifiers", {{{"type", "dns"}, {"value", name}}}}};
    return base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
}

lacme::accountd::signing_policy web1_policy(const std::string& extra = "")
{
    return lacme::accountd::parse_signing_policy("[policy]\nlabel = web1\nidentifiers = *.example.org\n" + extra, "p");
}

std::vector<json> audit_lines(const std::string& path)
{
    std::vector<json> lines;
    std::istringstream in(lacme::test::read_file(path));
    for (std::string line; std::getline(in, line);)
        lines.push_back(json::parse(line));
    return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signing_service_greeting)

BOOST_AUTO_TEST_CASE(greeting_without_keyid_is_byte_exact)
{
    fixed_signer key;
    logger log(log_level::info);
    const signing_service service(key, log, std::nullopt);
    BOOST_TEST(service.greeting() ==
               "1 OK {\"alg\":\"RS256\",\"jwk-thumbprint\":\"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\"}\r\n"
               "{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"" +
                   rfc7638_n + "\"}\r\n");
}

BOOST_AUTO_TEST_CASE(greeting_with_keyid_sends_kid_and_an_empty_jwk)
{
    fixed_signer key;
    logger log(log_level::info);
    const signing_service service(key, log, std::string("https://acme.example/acme/acct/1"));
    BOOST_TEST(service.greeting() ==
               "1 OK {\"alg\":\"RS256\",\"jwk-thumbprint\":\"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\","
               "\"kid\":\"https://acme.example/acme/acct/1\"}\r\n"
               "{}\r\n");
}

BOOST_AUTO_TEST_CASE(empty_keyid_is_no_keyid)
{
    fixed_signer key;
    logger log(log_level::info);
    const signing_service service(key, log, std::string());
    BOOST_TEST(service.greeting().find("kid") == std::string::npos);
    BOOST_TEST(service.greeting().ends_with("\"}\r\n"));
    BOOST_TEST(service.greeting().find("\r\n{}\r\n") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(greeting_parses_back_for_each_key_type)
{
    for (auto [key, alg] :
         {std::pair{lacme::test::shared_rsa2048(), "RS256"}, std::pair{lacme::test::shared_p256(), "ES256"},
          std::pair{lacme::test::shared_p384(), "ES384"}}) {
        BOOST_TEST_CONTEXT(alg)
        {
            const auto signer = signer_for(key);
            logger log(log_level::info);
            const signing_service service(*signer, log, std::nullopt);
            const std::string& g = service.greeting();
            const auto first_end = g.find("\r\n");
            const auto parsed = lacme::parse_accountd_greeting(g.substr(0, first_end),
                                                               g.substr(first_end + 2, g.size() - first_end - 4));
            BOOST_TEST(parsed.alg == alg);
            BOOST_TEST(parsed.jwk == signer->jwk());
            BOOST_TEST(parsed.jwk_thumbprint == lacme::jwk_thumbprint(signer->jwk()));
            BOOST_TEST(!parsed.kid);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(signing_service_requests)

BOOST_AUTO_TEST_CASE(admit_accepts_a_valid_request)
{
    fixed_signer key;
    logger log(log_level::info);
    signing_service service(key, log, std::nullopt);
    const lacme::test::stderr_capture captured;
    const auto admitted = service.admit("1", valid_line());
    BOOST_REQUIRE(admitted.request);
    BOOST_TEST(admitted.request->input.verdict == lacme::signing_input_verdict::ok);
    BOOST_TEST(admitted.request->input.payload == R"({"identifiers":[]})");
    BOOST_TEST(!admitted.request->grant.audited);
    BOOST_TEST(admitted.refusal_line.empty());
    BOOST_TEST(captured.text().empty());
}

BOOST_AUTO_TEST_CASE(admit_refuses_malformed_lines_and_logs_nosign)
{
    fixed_signer key;
    logger log(log_level::verbose);
    signing_service service(key, log, std::nullopt);
    const std::string header = base64url_encode(std::string_view(R"({"alg":"ES256","url":"u","jwk":{}})"));
    const std::string wrong_alg =
        base64url_encode(std::string_view(R"({"alg":"ES256","kid":"k","nonce":"n","url":"u"})"));
    const struct {
        std::string line;
        std::string logged;
    } cases[] = {
        {"no dot at all", "[c7] NOSIGN [malformed JWS Protected Header]\n"},
        {".e30", "[c7] NOSIGN [malformed JWS Protected Header]\n"},
        {"e30.e30=", "[c7] NOSIGN [malformed JWS Payload]\n"},
        {header + ".e30",  // no nonce
         "[c7] NOSIGN [invalid JWS Protected Header] header=base64url({\"alg\":\"ES256\",\"url\":\"u\",\"jwk\":{}}) "
         "payload=base64url({})\n"},
        {wrong_alg + ".e30",  // fixed_signer's key is RS256
         "[c7] NOSIGN [JWS alg is not the account key's] header=base64url({\"alg\":\"ES256\",\"kid\":\"k\","
         "\"nonce\":\"n\",\"url\":\"u\"}) payload=base64url({})\n"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.line)
        {
            const lacme::test::stderr_capture captured;
            BOOST_TEST(!service.admit("c7", c.line).request);
            BOOST_TEST(captured.text() == c.logged);
        }
    }
}

BOOST_AUTO_TEST_CASE(nosign_and_signed_lines_are_escaped_and_cut)
{
    fixed_signer key;
    logger log(log_level::verbose);
    signing_service service(key, log, std::nullopt);
    const std::string forged = "\n[9] SIGNED header=base64url({}) payload=base64url({})\x1b[2J\r";
    const std::string header_text = R"({"alg":"RS256","nonce":")" + forged + R"(","url":"u","kid":"k"})";
    const std::string payload_text = forged + std::string(5000, 'A');
    const std::string line = base64url_encode(header_text) + "." + base64url_encode(payload_text);
    {
        const lacme::test::stderr_capture captured;
        BOOST_TEST(!service.admit("c1", line).request);  // raw control bytes in a JSON string: invalid
        const std::string text = captured.text();
        BOOST_TEST(text.starts_with("[c1] NOSIGN [invalid JWS Protected Header] header=base64url({\"alg\""));
        BOOST_TEST(text.find("\\x0a[9] SIGNED") != std::string::npos, text);
        BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);
        BOOST_TEST(text.find_first_of(std::string("\x1b\r\0", 3)) == std::string::npos);
        BOOST_TEST(text.size() < 2 * 1024 + 100);  // header and payload cut at 1 KiB each
    }
    {
        const lacme::test::stderr_capture captured;
        service.log_signed("c2", {lacme::signing_input_verdict::ok, header_text, payload_text});
        const std::string text = captured.text();
        BOOST_TEST(text.starts_with("[c2] SIGNED header=base64url("));
        BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);
        BOOST_TEST(text.find('\x1b') == std::string::npos);
        BOOST_TEST(text.size() < 2 * 1024 + 100);
    }
}

BOOST_AUTO_TEST_CASE(nosign_lines_are_rate_limited)
{
    fixed_signer key;
    logger log(log_level::verbose);
    signing_service service(key, log, std::nullopt);
    const lacme::test::stderr_capture captured;
    for (int i = 0; i < 50; ++i)
        BOOST_TEST(!service.admit("c" + std::to_string(i), "garbage").request);
    const std::string text = captured.text();
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 10, text);  // the burst, then one a second
}

BOOST_AUTO_TEST_CASE(quiet_logs_one_refusal_summary_a_minute)
{
    fixed_signer key;
    logger log(log_level::info);  // --quiet
    signing_service service(key, log, std::nullopt);
    const lacme::test::stderr_capture captured;
    for (int i = 0; i < 20; ++i)
        BOOST_TEST(!service.admit("c" + std::to_string(i), "garbage").request);
    BOOST_TEST(captured.text() == "[c0] NOSIGN [malformed JWS Protected Header]; details at the verbose level\n");
}

BOOST_AUTO_TEST_CASE(sign_returns_a_crlf_terminated_base64url_line)
{
    fixed_signer key;
    logger log(log_level::info);
    const signing_service service(key, log, std::nullopt);
    BOOST_TEST(service.sign(valid_line()) == "-_8A\r\n");
}

BOOST_AUTO_TEST_CASE(signed_lines_verify_for_each_key_type)
{
    for (auto [key, alg] :
         {std::pair{lacme::test::shared_rsa2048(), "RS256"}, std::pair{lacme::test::shared_p256(), "ES256"},
          std::pair{lacme::test::shared_p384(), "ES384"}}) {
        BOOST_TEST_CONTEXT(alg)
        {
            const auto signer = signer_for(key);
            logger log(log_level::info);
            const signing_service service(*signer, log, std::nullopt);
            const std::string line = valid_line();
            const std::string response = service.sign(line);
            BOOST_REQUIRE(response.ends_with("\r\n"));
            const std::string body = response.substr(0, response.size() - 2);
            BOOST_TEST(lacme::is_base64url_alphabet(body));
            const auto signature = base64url_decode(body);
            BOOST_REQUIRE(signature);
            const std::vector<std::uint8_t> bytes(signature->begin(), signature->end());
            BOOST_TEST(lacme::test::independent_verify(key, alg, line, bytes));
            BOOST_TEST(lacme::jws_verify(key, signer->algorithm(), line, bytes));
        }
    }
}

BOOST_AUTO_TEST_CASE(log_signed_reports_the_request_at_verbose_level_only)
{
    fixed_signer key;
    const auto request = lacme::check_signing_input(valid_line(), {"RS256", key.jwk()});
    {
        logger log(log_level::verbose);
        signing_service service(key, log, std::nullopt);
        const lacme::test::stderr_capture captured;
        service.log_signed("3", request);
        BOOST_TEST(captured.text() ==
                   "[3] SIGNED header=base64url(" + request.header + ") payload=base64url(" + request.payload + ")\n");
    }
    {
        logger log(log_level::info);  // --quiet
        signing_service service(key, log, std::nullopt);
        const lacme::test::stderr_capture captured;
        service.log_signed("3", request);
        BOOST_TEST(captured.text().empty());
    }
}

BOOST_AUTO_TEST_CASE(quiet_logfile_still_records_signatures)
{
    lacme::test::temp_dir dir;
    fixed_signer key;
    logger log(log_level::info);
    log.open_logfile(dir.file("accountd.log"));
    signing_service service(key, log, std::nullopt);
    const lacme::test::stderr_capture captured;
    service.log_signed("5", lacme::check_signing_input(valid_line(), {"RS256", key.jwk()}));
    BOOST_TEST(captured.text().empty());
    const std::string logged = lacme::test::read_file(dir.file("accountd.log"));
    BOOST_TEST(logged.find("[5] SIGNED header=base64url(") != std::string::npos, logged);
    BOOST_TEST(lacme::test::file_mode(dir.file("accountd.log")) == 0600u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(signing_service_with_guard)

// A signing_service behind a guard with this policy and audit log, logging at info level.
struct guarded_service {
    guarded_service(std::optional<lacme::accountd::signing_policy> policy, std::optional<std::string> audit,
                    std::string caller = "local")
        : guard(std::move(policy), audit, log), service(key, log, std::nullopt, {&guard, std::move(caller)})
    {}

    fixed_signer key;
    logger log{log_level::info};
    lacme::accountd::signing_guard guard;
    signing_service service;
};

BOOST_AUTO_TEST_CASE(policy_refusal_sends_a_nosign_line_and_is_audited)
{
    const lacme::test::temp_dir dir;
    guarded_service g(web1_policy(), dir.file("audit"), "192.0.2.1 port 4");
    signing_service& service = g.service;
    const lacme::test::stderr_capture captured;
    const auto refused = service.admit("c1", order_line("evil.example"));
    BOOST_TEST(!refused.request);
    BOOST_TEST(refused.refusal_line == "NOSIGN identifier dns:evil.example not allowed by policy \"web1\"\n");
    BOOST_TEST(captured.text().find("[c1] NOSIGN [identifier dns:evil.example not allowed") != std::string::npos);
    const auto lines = audit_lines(dir.file("audit"));
    BOOST_REQUIRE(lines.size() == 1u);
    BOOST_TEST(lines[0]["outcome"] == "refused");
    BOOST_TEST(lines[0]["label"] == "web1");
    BOOST_TEST(lines[0]["caller"] == "192.0.2.1 port 4");
    BOOST_TEST(lines[0]["identifiers"] == json::array({"dns:evil.example"}));
}

BOOST_AUTO_TEST_CASE(allowed_request_is_audited_when_released)
{
    const lacme::test::temp_dir dir;
    guarded_service g(web1_policy(), dir.file("audit"));
    signing_service& service = g.service;
    const auto admitted = service.admit("c1", order_line("www.example.org"));
    BOOST_REQUIRE(admitted.request);
    BOOST_TEST(admitted.request->grant.audited);
    BOOST_TEST(audit_lines(dir.file("audit")).empty());  // not before the signature exists
    const auto step = service.release("c1", *admitted.request);
    BOOST_TEST(!step.refusal_line);
    BOOST_REQUIRE(step.pending);  // written, to be awaited before the signature leaves
    BOOST_TEST(!signing_service::await_record(*admitted.request, *step.pending));
    BOOST_TEST(!service.released("c1", *admitted.request, std::nullopt));
    const auto lines = audit_lines(dir.file("audit"));
    BOOST_REQUIRE(lines.size() == 1u);
    BOOST_TEST(lines[0]["outcome"] == "signed");
    BOOST_TEST(lines[0]["operation"] == "order");
    BOOST_TEST(lines[0]["identifiers"] == json::array({"dns:www.example.org"}));
}

BOOST_AUTO_TEST_CASE(unwritable_audit_log_refuses_the_signature)
{
    guarded_service g(std::nullopt, std::string("/dev/full"));
    signing_service& service = g.service;
    const lacme::test::stderr_capture captured;
    const auto admitted = service.admit("c1", valid_line());
    BOOST_REQUIRE(admitted.request);  // no policy: everything allowed
    const auto step = service.release("c1", *admitted.request);
    BOOST_TEST(!step.pending);
    BOOST_TEST(step.refusal_line.value_or("") == "NOSIGN audit log cannot be written\n");
    BOOST_TEST(captured.text().find("can't write audit log /dev/full") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(record_that_never_reaches_the_disk_refuses_the_signature)
{
    const lacme::test::temp_dir dir;
    guarded_service g(std::nullopt, dir.file("audit"));
    signing_service& service = g.service;
    const lacme::test::stderr_capture captured;
    const auto admitted = service.admit("c1", valid_line());
    BOOST_REQUIRE(admitted.request);
    const auto step = service.release("c1", *admitted.request);
    BOOST_REQUIRE(step.pending);
    BOOST_TEST(service.released("c1", *admitted.request, std::string("audit log cannot be written")).value_or("") ==
               "NOSIGN audit log cannot be written\n");
    BOOST_TEST(captured.text().find("NOSIGN [audit log cannot be written]") != std::string::npos, captured.text());
}

BOOST_AUTO_TEST_CASE(rate_limit_refuses_the_order_past_the_limit_only)
{
    const lacme::test::temp_dir dir;
    guarded_service g(web1_policy("max-orders-per-hour = 1\nstate-directory = " + dir.path() + "\n"), std::nullopt);
    signing_service& service = g.service;
    const lacme::test::stderr_capture captured;
    BOOST_TEST(service.admit("c1", order_line("a.example.org")).request.has_value());
    BOOST_TEST(service.admit("c1", order_line("evil.example")).refusal_line.find("not allowed") != std::string::npos);
    BOOST_TEST(service.admit("c2", order_line("b.example.org")).refusal_line ==
               "NOSIGN newOrder rate limit of policy \"web1\" reached (1 per hour)\n");
    BOOST_TEST(service.admit("c2", valid_line()).refusal_line.find("request not recognized") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
