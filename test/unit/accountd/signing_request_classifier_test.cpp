// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/signing_request_classifier.hpp"

#include "test/support/x509_builder.hpp"
#include "test/unit/accountd/policy_printers.hpp"
#include "common/base64url.hpp"

#include <boost/test/unit_test.hpp>

using lacme::accountd::classify_signing_request;
using lacme::accountd::operation;
using lacme::accountd::operation_name;

namespace {

const std::string kid_header = R"({"alg":"ES256","nonce":"n","url":"https://ca/x","kid":"https://ca/acct/1"})";
const std::string jwk_header = R"({"alg":"ES256","nonce":"n","url":"https://ca/x","jwk":{"kty":"EC"}})";

operation op_of(const std::string& payload, const std::string& header = kid_header)
{
    return classify_signing_request(header, payload).op;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signing_request_classifier)

BOOST_AUTO_TEST_CASE(every_rfc8555_payload_shape)
{
    const std::string csr = lacme::base64url_encode(lacme::test::der_csr("a.example", "DNS:a.example"));
    const std::string cert = lacme::base64url_encode(lacme::test::der_certificate("a.example", "DNS:a.example"));
    BOOST_TEST(op_of("") == operation::get);
    BOOST_TEST(op_of("{}") == operation::challenge);
    BOOST_TEST(op_of(R"({"onlyReturnExisting":true})", jwk_header) == operation::lookup);
    BOOST_TEST(op_of(R"({"identifiers":[{"type":"dns","value":"a.example"}],"notAfter":"x"})") == operation::new_order);
    BOOST_TEST(op_of(R"({"identifiers":[{"type":"dns","value":"a.example"}],"replaces":"x.y"})") ==
               operation::new_order);
    BOOST_TEST(op_of(R"({"identifier":{"type":"dns","value":"a.example"}})") == operation::new_authz);
    BOOST_TEST(op_of(R"({"csr":")" + csr + "\"}") == operation::finalize);
    BOOST_TEST(op_of(R"({"certificate":")" + cert + R"(","reason":4})") == operation::revoke);
    BOOST_TEST(op_of(R"({"status":"deactivated"})") == operation::deactivate);
    BOOST_TEST(op_of(R"({"contact":["mailto:a@example.org"]})") == operation::account);
    BOOST_TEST(op_of(R"({"termsOfServiceAgreed":true,"contact":[]})", jwk_header) == operation::account);
    BOOST_TEST(op_of(R"({"onlyReturnExisting":false,"termsOfServiceAgreed":true})", jwk_header) == operation::account);
    BOOST_TEST(op_of(R"({"protected":"a","payload":"b","signature":"c"})") == operation::keychange);
    BOOST_TEST(op_of(R"({"account":"https://ca/acct/1","oldKey":{"kty":"EC"}})", jwk_header) == operation::keychange);
}

BOOST_AUTO_TEST_CASE(identifiers_are_read_from_order_authz_csr_and_certificate)
{
    const auto order = classify_signing_request(
        kid_header, R"({"identifiers":[{"type":"dns","value":"a.example"},{"type":"ip","value":"192.0.2.1"}]})");
    BOOST_TEST(order.identifiers.size() == 2u);
    BOOST_TEST(to_string(order.identifiers[1]) == "ip:192.0.2.1");
    BOOST_TEST(order.url == "https://ca/x");
    BOOST_TEST(!order.jwk_headed);
    const std::string csr = lacme::base64url_encode(lacme::test::der_csr("a.example", "DNS:a.example,DNS:b.example"));
    const auto finalize = classify_signing_request(kid_header, R"({"csr":")" + csr + "\"}");
    BOOST_TEST(finalize.identifiers.size() == 3u);
    BOOST_TEST(to_string(finalize.identifiers[2]) == "dns:b.example");
    BOOST_TEST(classify_signing_request(jwk_header, "").jwk_headed);
}

BOOST_AUTO_TEST_CASE(anything_else_is_unknown)
{
    for (const std::string payload : {
             R"([])",
             R"("x")",
             R"(null)",
             R"({"identifiers":[]})",
             R"({"identifiers":"a.example"})",
             R"({"identifiers":[{"type":"dns"}]})",
             R"({"identifiers":[{"type":"dns","value":"a.example"}],"status":"deactivated"})",
             R"({"identifier":{"type":"dns","value":"a.example"},"x":1})",
             R"({"csr":"AAAA"})",
             R"({"csr":5})",
             R"({"csr":"x","identifiers":[]})",
             R"({"certificate":"AAAA"})",
             R"({"certificate":"AAAA","status":"deactivated"})",
             R"({"status":"valid"})",
             R"({"status":"deactivated","contact":[]})",
             R"({"contact":[],"identifiers":[{"type":"dns","value":"a.example"}]})",
             R"({"protected":"a","payload":"b"})",
             R"({"account":"x"})",
             R"({"frobnicate":1})",
             R"({"status":"deactivated","status":"deactivated"})",
             R"({"contact":[],"contact":[]})",
             R"({not json)",
         })
        BOOST_TEST((op_of(payload) == operation::unknown), payload);
    BOOST_TEST((classify_signing_request(R"({"url":5})", "").op == operation::unknown));
    BOOST_TEST(
        (classify_signing_request(R"({"url":"https://ok/","url":"https://evil/"})", "").op == operation::unknown));
    BOOST_TEST(!classify_signing_request(kid_header, R"({"csr":"AAAA"})").problem.empty());
}

BOOST_AUTO_TEST_CASE(operation_names_are_the_policy_names)
{
    BOOST_TEST(operation_name(operation::new_order) == "order");
    BOOST_TEST(operation_name(operation::new_authz) == "order");
    BOOST_TEST(operation_name(operation::finalize) == "order");
    BOOST_TEST(operation_name(operation::revoke) == "revoke");
    BOOST_TEST(operation_name(operation::keychange) == "keychange");
    BOOST_TEST(operation_name(operation::get) == "get");
    BOOST_TEST(operation_name(operation::challenge) == "challenge");
}

// Issue 19, finding 2: Go's encoding/json matches "VALUE" to the value field (Unicode folds too:
// U+017F is 's', U+212A 'k'), last one wins; the policy read only the exact names of the
// top-level object.
BOOST_AUTO_TEST_CASE(member_names_a_ca_could_read_as_others_are_unknown)
{
    for (
        const std::string payload : {
            R"({"identifiers":[{"type":"dns","value":"web1.example","VALUE":"victim.example"}]})",
            R"({"identifiers":[{"type":"dns","value":"web1.example","Value":"victim.example"}]})",
            R"({"identifiers":[{"type":"dns","value":"web1.example","valu)"
            "\xC5\xBF"
            R"(e":"victim.example"}]})",
            R"({"identifiers":[{"type":"dns","value":"web1.example","\u0076alue":"victim.example"}]})",
            R"({"identifiers":[{"type":"dns","value":"web1.example","extra":1}]})",
            R"({"identifiers":[{"type":"dns","value":"web1.example"}],"IDENTIFIERS":[{"type":"dns","value":"victim.example"}]})",
            R"({"identifiers":[{"type":"dns","value":"web1.example"}],"Identifiers":[]})",
            R"({"identifier":{"type":"dns","value":"web1.example","VaLuE":"victim.example"}})",
            R"({"identifier":{"type":"dns","value":"web1.example"},"IDENTIFIER":{"type":"dns","value":"victim.example"}})",
            R"({"identifier":{"type":"dns","value":"web1.example"},"identi)"
            "\xE2\x84\xAA"
            R"(":1})",
            R"({"identifiers":[{"type":"dns","value":5}]})",
            R"({"identifiers":[{"type":"dns","value":null}]})",
            R"({"identifiers":[{"type":null,"value":"web1.example"}]})",
            R"({"identifiers":[{"type":"dns","value":"web1.example"}],"notBefore":null})",
            R"({"identifiers":[{"type":"dns","value":"web1.example"}],"notAfter":5})",
            R"({"csr":"AAAA","CSR":"BBBB"})",
            R"({"certificate":"AAAA","reason":"1"})",
            R"({"contact":"mailto:a@example.org"})",
            R"({"contact":[5]})",
            R"({"termsOfServiceAgreed":"yes"})",
            R"({"contact":[],"Contact":["mailto:victim@example.org"]})",
            R"({"externalAccountBinding":{"protected":"a","payload":"b","signature":"c","x":1}})",
            R"({"status":"deactivated","STATUS":"valid"})",
            R"({"account":"https://ca/acct/1","oldKey":{"kty":"EC","x":"a","X":"b"}})",
            R"({"account":5,"oldKey":{"kty":"EC"}})",
        })
        BOOST_TEST((op_of(payload) == operation::unknown), payload);
    BOOST_TEST(
        (classify_signing_request(R"({"url":"https://ok/","URL":"https://evil/"})", "").op == operation::unknown));
    BOOST_TEST((classify_signing_request(R"({"url":"https://ok/","j)"
                                         "\xE2\x84\xAA"
                                         R"(":1})",
                                         "")
                    .op == operation::unknown));
}

// Issue 19, finding 3: {"onlyReturnExisting":true,"contact":[...]} posted to the account URL
// replaced its contacts as a "lookup".
BOOST_AUTO_TEST_CASE(a_lookup_is_exactly_only_return_existing_and_jwk_headed)
{
    BOOST_TEST(op_of(R"({"onlyReturnExisting":true})", jwk_header) == operation::lookup);
    BOOST_TEST(op_of(R"({"onlyReturnExisting":true})", kid_header) == operation::account);
    BOOST_TEST(op_of(R"({"onlyReturnExisting":true,"contact":["mailto:x@example.org"]})", kid_header) ==
               operation::account);
    BOOST_TEST(op_of(R"({"onlyReturnExisting":true,"contact":["mailto:x@example.org"]})", jwk_header) ==
               operation::account);
    BOOST_TEST(op_of(R"({"onlyReturnExisting":true,"termsOfServiceAgreed":true})", jwk_header) == operation::account);
    BOOST_TEST(op_of(R"({"onlyReturnExisting":1})", jwk_header) == operation::unknown);
}

BOOST_AUTO_TEST_SUITE_END()
