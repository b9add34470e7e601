// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_update.hpp"

#include "common/error.hpp"

#include <boost/test/unit_test.hpp>

#include <ldns/ldns.h>

#include <cstdlib>
#include <memory>
#include <vector>

using lacme::dns01_action;
using lacme::dns_record;
using lacme::master::dns_update;
using lacme::master::parse_tsig_key;
using lacme::master::tsig_key;

namespace {

const std::string secret = "Co+iNSaOQTgIUyU19H59LZuYE5jVo0WnQpMvB1qVh9Y=";
const dns_record record{"_acme-challenge.www.example.org", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"};

tsig_key key(const std::string& algorithm = "hmac-sha256", const std::string& s = secret)
{
    return parse_tsig_key("key \"lacme-key\" { algorithm " + algorithm + "; secret \"" + s + "\"; };", "test");
}

struct pkt_free {
    void operator()(ldns_pkt* p) const noexcept { ldns_pkt_free(p); }
};
using pkt_ptr = std::unique_ptr<ldns_pkt, pkt_free>;

pkt_ptr decode(std::string_view wire)
{
    ldns_pkt* p = nullptr;
    BOOST_REQUIRE(ldns_wire2pkt(&p, reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size()) == LDNS_STATUS_OK);
    return pkt_ptr(p);
}

std::string owner(const ldns_rr* rr)
{
    char* text = ldns_rdf2str(ldns_rr_owner(rr));
    std::string s(text);
    std::free(text);
    return s;
}

// A response to update, as a server would send it: rcode, signed with k (covering the request's MAC) or not.
std::vector<std::uint8_t> response_to(const dns_update& update, ldns_pkt_rcode rcode, const tsig_key* k)
{
    const pkt_ptr request = decode(update.wire());
    pkt_ptr response(ldns_pkt_new());
    ldns_pkt_set_id(response.get(), ldns_pkt_id(request.get()));
    ldns_pkt_set_qr(response.get(), true);
    ldns_pkt_set_opcode(response.get(), LDNS_PACKET_UPDATE);
    ldns_pkt_set_rcode(response.get(), static_cast<std::uint8_t>(rcode));
    if (k)
        BOOST_REQUIRE(ldns_pkt_tsig_sign(response.get(), (k->name + ".").c_str(), k->secret.c_str(), 300,
                                         (k->algorithm + ".").c_str(),
                                         ldns_rr_rdf(ldns_pkt_tsig(request.get()), 3)) == LDNS_STATUS_OK);
    std::uint8_t* wire = nullptr;
    std::size_t size = 0;
    BOOST_REQUIRE(ldns_pkt2wire(&wire, response.get(), &size) == LDNS_STATUS_OK);
    std::vector<std::uint8_t> bytes(wire, wire + size);
    std::free(wire);
    return bytes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dns_update_message)

BOOST_AUTO_TEST_CASE(an_add_is_one_in_class_txt_record_in_the_update_section_signed)
{
    const auto k = key();
    const dns_update update("Example.ORG.", dns01_action::publish, record, k, 0x1234);
    const pkt_ptr pkt = decode(update.wire());
    BOOST_TEST(ldns_pkt_id(pkt.get()) == 0x1234);
    BOOST_TEST(ldns_pkt_get_opcode(pkt.get()) == LDNS_PACKET_UPDATE);
    BOOST_TEST(!ldns_pkt_qr(pkt.get()));
    // Zone section: the zone's SOA, class IN.
    BOOST_REQUIRE(ldns_pkt_qdcount(pkt.get()) == 1);
    const ldns_rr* zone = ldns_rr_list_rr(ldns_pkt_question(pkt.get()), 0);
    BOOST_TEST(owner(zone) == "example.org.");
    BOOST_TEST(ldns_rr_get_type(zone) == LDNS_RR_TYPE_SOA);
    BOOST_TEST(ldns_rr_get_class(zone) == LDNS_RR_CLASS_IN);
    BOOST_TEST(ldns_pkt_ancount(pkt.get()) == 0);  // no prerequisites
    BOOST_REQUIRE(ldns_pkt_nscount(pkt.get()) == 1);
    const ldns_rr* rr = ldns_rr_list_rr(ldns_pkt_authority(pkt.get()), 0);
    BOOST_TEST(owner(rr) == "_acme-challenge.www.example.org.");
    BOOST_TEST(ldns_rr_get_type(rr) == LDNS_RR_TYPE_TXT);
    BOOST_TEST(ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN);
    BOOST_TEST(ldns_rr_ttl(rr) == lacme::master::dns_update_ttl);
    char* value = ldns_rdf2str(ldns_rr_rdf(rr, 0));
    BOOST_TEST(std::string(value) == "\"" + record.value + "\"");
    std::free(value);
    // The TSIG record is last and verifies with the key (and not with another one).
    const ldns_rr* tsig = ldns_pkt_tsig(pkt.get());
    BOOST_REQUIRE(tsig != nullptr);
    BOOST_TEST(owner(tsig) == "lacme-key.");
    const auto* wire = reinterpret_cast<const std::uint8_t*>(update.wire().data());
    BOOST_TEST(ldns_pkt_tsig_verify(pkt.get(), wire, update.wire().size(), "lacme-key.", secret.c_str(), nullptr));
    BOOST_TEST(!ldns_pkt_tsig_verify(pkt.get(), wire, update.wire().size(), "lacme-key.",
                                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", nullptr));
}

BOOST_AUTO_TEST_CASE(a_delete_removes_that_value_only_class_none_ttl_0)
{
    for (const std::string algorithm : {"hmac-sha256", "hmac-sha512", "hmac-sha1"}) {
        const dns_update update("example.org", dns01_action::remove, record, key(algorithm), 7);
        const pkt_ptr pkt = decode(update.wire());
        BOOST_REQUIRE(ldns_pkt_nscount(pkt.get()) == 1);
        const ldns_rr* rr = ldns_rr_list_rr(ldns_pkt_authority(pkt.get()), 0);
        BOOST_TEST(ldns_rr_get_class(rr) == LDNS_RR_CLASS_NONE);
        BOOST_TEST(ldns_rr_ttl(rr) == 0u);
        BOOST_TEST(ldns_rr_get_type(rr) == LDNS_RR_TYPE_TXT);
        BOOST_TEST(ldns_rr_rd_count(rr) == 1u);  // the value, not the whole RRset
        const auto* wire = reinterpret_cast<const std::uint8_t*>(update.wire().data());
        BOOST_TEST(ldns_pkt_tsig_verify(pkt.get(), wire, update.wire().size(), "lacme-key.", secret.c_str(), nullptr),
                   algorithm);
    }
}

BOOST_AUTO_TEST_CASE(a_name_outside_the_zone_is_refused)
{
    BOOST_CHECK_THROW(dns_update("example.net", dns01_action::publish, record, key(), 1), lacme::error);
    BOOST_CHECK_THROW(dns_update("ample.org", dns01_action::publish, record, key(), 1), lacme::error);
    BOOST_CHECK_NO_THROW(dns_update("www.example.org", dns01_action::publish, record, key(), 1));
}

BOOST_AUTO_TEST_CASE(responses_are_checked)
{
    const auto k = key();
    const dns_update update("example.org", dns01_action::publish, record, k, 42);
    BOOST_TEST(!update.failure_of(response_to(update, LDNS_RCODE_NOERROR, &k), k));
    BOOST_TEST(update.failure_of(response_to(update, LDNS_RCODE_REFUSED, &k), k).value().reason == "rcode REFUSED");
    BOOST_TEST(update.failure_of(response_to(update, LDNS_RCODE_NOTAUTH, nullptr), k).value().reason ==
               "rcode NOTAUTH");
    BOOST_TEST(update.failure_of(response_to(update, LDNS_RCODE_NOERROR, nullptr), k).value().reason ==
               "an unsigned NOERROR response (the server must sign with the key)");
    const auto other = key("hmac-sha256", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    BOOST_TEST(update.failure_of(response_to(update, LDNS_RCODE_NOERROR, &other), k).value().reason ==
               "a response whose TSIG signature does not verify with key 'lacme-key'");
    const dns_update another("example.org", dns01_action::publish, record, k, 43);
    BOOST_TEST(update.failure_of(response_to(another, LDNS_RCODE_NOERROR, &k), k).value().reason ==
               "a response that does not answer the update");
    // Only an error rcode says the zone did not change.
    BOOST_TEST(update.failure_of(response_to(update, LDNS_RCODE_REFUSED, &k), k).value().refused);
    BOOST_TEST(update.failure_of(response_to(update, LDNS_RCODE_NOTAUTH, nullptr), k).value().refused);
    BOOST_TEST(!update.failure_of(response_to(update, LDNS_RCODE_NOERROR, &other), k).value().refused);
    const std::vector<std::uint8_t> garbage = {1, 2, 3};
    BOOST_TEST(update.failure_of(garbage, k).value().reason == "a malformed response");
    BOOST_TEST(update.failure_of({}, k).value().reason == "a malformed response");
}

BOOST_AUTO_TEST_SUITE_END()
