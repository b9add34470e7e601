// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/policy_decision.hpp"

#include "test/support/x509_builder.hpp"
#include "common/base64url.hpp"

#include <boost/test/unit_test.hpp>

using lacme::accountd::decide;
using lacme::accountd::parse_signing_policy;
using lacme::accountd::signing_policy;

namespace {

signing_policy policy(const std::string& extra = "")
{
    return parse_signing_policy("[policy]\nlabel = web1\nca = https://ca.example/\n"
                                "identifiers = example.org *.example.org 192.0.2.0/24\n" +
                                    extra,
                                "p.conf");
}

std::string header(const std::string& url = "https://ca.example/x", bool jwk = false)
{
    return R"({"alg":"ES256","nonce":"n","url":")" + url + "\"," +
           (jwk ? R"("jwk":{"kty":"EC"}})" : R"("kid":"https://ca.example/acct/1"})");
}

std::string order_of(const std::string& name)
{
    return R"({"identifiers":[{"type":"dns","value":"example.org"},{"type":"dns","value":")" + name + "\"}]}";
}

std::string finalize_of(const std::string& san)
{
    return R"({"csr":")" + lacme::base64url_encode(lacme::test::der_csr("example.org", san)) + "\"}";
}

std::string revoke_of(const std::string& san)
{
    return R"({"certificate":")" + lacme::base64url_encode(lacme::test::der_certificate("example.org", san)) + "\"}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_decision)

BOOST_AUTO_TEST_CASE(always_allowed_requests)
{
    const auto p = policy();
    BOOST_TEST(decide(p, header(), "").allowed);
    BOOST_TEST(decide(p, header(), "{}").allowed);
    BOOST_TEST(decide(p, header("https://ca.example/new-acct", true), R"({"onlyReturnExisting":true})").allowed);
}

BOOST_AUTO_TEST_CASE(orders_only_for_allowed_names)
{
    const auto p = policy("max-orders-per-hour = 1\nstate-directory = /nonexistent\n");
    const auto ok = decide(p, header(), order_of("www.example.org"));
    BOOST_TEST(ok.allowed);
    BOOST_TEST(ok.counts_as_order());
    const auto bad = decide(p, header(), order_of("evil.example"));
    BOOST_TEST(!bad.allowed);
    BOOST_TEST(!bad.counts_as_order());
    BOOST_TEST(bad.reason == "identifier dns:evil.example not allowed by policy \"web1\"");
    BOOST_TEST(decide(p, header(), R"({"identifiers":[{"type":"ip","value":"192.0.2.77"}]})").allowed);
    BOOST_TEST(!decide(p, header(), R"({"identifiers":[{"type":"ip","value":"192.0.3.1"}]})").allowed);
    BOOST_TEST(decide(p, header(), R"({"identifier":{"type":"dns","value":"a.example.org"}})").allowed);
    BOOST_TEST(!decide(p, header(), R"({"identifier":{"type":"dns","value":"a.example.com"}})").allowed);
    BOOST_TEST(!decide(p, header(), R"({"identifier":{"type":"dns","value":"a.example.org"}})").counts_as_order());
}

BOOST_AUTO_TEST_CASE(finalize_checks_every_csr_name)
{
    const auto p = policy();
    BOOST_TEST(decide(p, header(), finalize_of("DNS:example.org,DNS:www.example.org,IP:192.0.2.5")).allowed);
    const auto extra = decide(p, header(), finalize_of("DNS:example.org,DNS:evil.example"));
    BOOST_TEST(!extra.allowed);
    BOOST_TEST(extra.reason == "identifier dns:evil.example not allowed by policy \"web1\"");
    BOOST_TEST(!decide(p, header(), finalize_of("DNS:example.org,email:a@example.org")).allowed);
    const auto bad_cn =
        R"({"csr":")" + lacme::base64url_encode(lacme::test::der_csr("evil.example", "DNS:example.org")) + "\"}";
    BOOST_TEST(!decide(p, header(), bad_cn).allowed);
}

// Issue 25: what the signer sees of a wildcard order is its identifiers (newOrder) and the CSR's
// names (finalize); the challenge responses ({} to an opaque URL) say nothing of their type.
BOOST_AUTO_TEST_CASE(wildcard_orders_only_when_the_wildcard_is_listed)
{
    const auto plain = policy();  // identifiers = example.org *.example.org ...
    const auto refused = decide(plain, header(), order_of("*.example.org"));
    BOOST_TEST(!refused.allowed);
    BOOST_TEST(refused.reason == "identifier dns:*.example.org not allowed by policy \"web1\"");
    BOOST_TEST(!decide(plain, header(), order_of("*.www.example.org")).allowed);
    BOOST_TEST(!decide(plain, header(), finalize_of("DNS:example.org,DNS:*.example.org")).allowed);
    BOOST_TEST(decide(plain, header(), order_of("www.example.org")).allowed);

    const auto wild = policy("wildcards = *.example.org\n");
    const auto ok = decide(wild, header(), order_of("*.example.org"));
    BOOST_TEST(ok.allowed);
    BOOST_TEST(ok.counts_as_order());
    BOOST_TEST(decide(wild, header(), order_of("*.EXAMPLE.org")).allowed);
    BOOST_TEST(decide(wild, header(), finalize_of("DNS:example.org,DNS:*.example.org")).allowed);
    for (const char* lookalike :
         {"*.example.org.", "*.EXAMPLE.org.", "*.*.example.org", "*example.org", "x*.example.org", "*.www.example.org"})
        BOOST_TEST(!decide(wild, header(), order_of(lookalike)).allowed, lookalike);
    BOOST_TEST(!decide(wild, header(), finalize_of("DNS:example.org,DNS:*.www.example.org")).allowed);
    const auto wild_cn =
        R"({"csr":")" + lacme::base64url_encode(lacme::test::der_csr("*.www.example.org", "DNS:example.org")) + "\"}";
    BOOST_TEST(!decide(wild, header(), wild_cn).allowed);
    // The challenge response and the authorization fetches of any order are signed: they carry nothing.
    BOOST_TEST(decide(plain, header("https://ca.example/chall/1"), "{}").allowed);
}

// RFC 8555 §7.4.1: pre-authorization cannot authorize a wildcard, whatever the policy lists.
BOOST_AUTO_TEST_CASE(newauthz_of_a_wildcard_is_refused)
{
    const auto wild = policy("wildcards = *.example.org\n");
    const auto d = decide(wild, header(), R"({"identifier":{"type":"dns","value":"*.example.org"}})");
    BOOST_TEST(!d.allowed);
    BOOST_TEST(d.reason == "newAuthz of wildcard dns:*.example.org refused");
    BOOST_TEST(decide(wild, header(), R"({"identifier":{"type":"dns","value":"www.example.org"}})").allowed);
}

BOOST_AUTO_TEST_CASE(revoking_a_wildcard_certificate_needs_the_wildcard_listed)
{
    BOOST_TEST(!decide(policy("operations = order revoke\n"), header(), revoke_of("DNS:*.example.org")).allowed);
    BOOST_TEST(decide(policy("operations = order revoke\nwildcards = *.example.org\n"), header(),
                      revoke_of("DNS:*.example.org"))
                   .allowed);
}

BOOST_AUTO_TEST_CASE(revoke_needs_the_operation_and_the_names)
{
    BOOST_TEST(decide(policy(), header(), revoke_of("DNS:example.org")).reason ==
               "operation revoke not allowed by policy \"web1\"");
    const auto p = policy("operations = order revoke\n");
    BOOST_TEST(decide(p, header(), revoke_of("DNS:example.org")).allowed);
    BOOST_TEST(decide(p, header("https://ca.example/revoke", true), revoke_of("DNS:www.example.org")).allowed);
    BOOST_TEST(!decide(p, header(), revoke_of("DNS:other.example")).allowed);
}

BOOST_AUTO_TEST_CASE(account_deactivate_keychange_only_when_listed)
{
    const std::string contact = R"({"contact":["mailto:x@example.org"]})";
    const std::string deactivate = R"({"status":"deactivated"})";
    const std::string keychange = R"({"protected":"a","payload":"b","signature":"c"})";
    const auto p = policy();
    BOOST_TEST(decide(p, header(), contact).reason == "operation account not allowed by policy \"web1\"");
    BOOST_TEST(decide(p, header(), deactivate).reason == "operation deactivate not allowed by policy \"web1\"");
    BOOST_TEST(decide(p, header(), keychange).reason == "operation keychange not allowed by policy \"web1\"");
    BOOST_TEST(!decide(p, header("https://ca.example/new-acct", true), R"({"termsOfServiceAgreed":true})").allowed);
    const auto all = policy("operations = account deactivate keychange\n");
    BOOST_TEST(decide(all, header(), contact).allowed);
    BOOST_TEST(decide(all, header(), deactivate).allowed);
    BOOST_TEST(decide(all, header(), keychange).allowed);
    BOOST_TEST(decide(all, header("https://ca.example/new-acct", true), R"({"termsOfServiceAgreed":true})").allowed);
    BOOST_TEST(!decide(all, header(), order_of("www.example.org")).allowed);
}

BOOST_AUTO_TEST_CASE(url_outside_ca_refused_even_for_gets)
{
    const auto d = decide(policy(), header("https://evil.example/x"), "");
    BOOST_TEST(!d.allowed);
    BOOST_TEST(d.reason == "url https://evil.example/x is outside the ca allowed by policy \"web1\"");
    BOOST_TEST(!decide(policy(), header("https://ca.example.evil/x"), "").allowed);
    BOOST_TEST(decide(parse_signing_policy("[policy]\nlabel = a\n", "p"), header("https://any/x"), "").allowed);
}

BOOST_AUTO_TEST_CASE(jwk_headed_only_where_rfc8555_wants_one)
{
    const auto p = policy("operations = order account keychange deactivate\n");
    BOOST_TEST(decide(p, header("https://ca.example/x", true), "").reason == "jwk-headed get request refused");
    BOOST_TEST(!decide(p, header("https://ca.example/x", true), "{}").allowed);
    BOOST_TEST(!decide(p, header("https://ca.example/x", true), order_of("www.example.org")).allowed);
    BOOST_TEST(!decide(p, header("https://ca.example/x", true), R"({"status":"deactivated"})").allowed);
    BOOST_TEST(decide(p, header("https://ca.example/x", true), R"({"account":"u","oldKey":{}})").allowed);
}

BOOST_AUTO_TEST_CASE(unknown_shapes_are_denied)
{
    const auto d = decide(policy("operations = order revoke account deactivate keychange\n"), header(), R"({"x":1})");
    BOOST_TEST(!d.allowed);
    BOOST_TEST(d.reason == "request not recognized (payload of no known shape)");
    BOOST_TEST(
        !decide(policy(), header(), R"({"identifiers":[{"type":"dns","value":"example.org"}],"status":"deactivated"})")
             .allowed);
}

BOOST_AUTO_TEST_SUITE_END()
