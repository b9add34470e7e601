// SPDX-License-Identifier: GPL-3.0-or-later
// common/pem_certificates, tested here where the test CA lives.
#include "common/pem_certificates.hpp"

#include "test/support/error_message.hpp"
#include "test_pki.hpp"

#include <boost/test/unit_test.hpp>

using lacme::pem_of;
using lacme::read_pem_certificates;
using lacme::test::error_message;
using lacme::test::shared_ca;

BOOST_AUTO_TEST_SUITE(pem_certificates)

BOOST_AUTO_TEST_CASE(reads_every_block_in_order_and_writes_them_back)
{
    const auto leaf = shared_ca().issue(lacme::test::shared_p256(), "www.example.org");
    const std::string chain = "junk before\n" + pem_of(*leaf) + "between\n" + pem_of(shared_ca().intermediate());
    const auto certs = read_pem_certificates(chain);
    BOOST_REQUIRE_EQUAL(certs.size(), 2u);
    BOOST_TEST(X509_cmp(certs[0].get(), leaf.get()) == 0);
    BOOST_TEST(pem_of(*certs[1]) == pem_of(shared_ca().intermediate()));
    BOOST_TEST(pem_of(*certs[0]).starts_with("-----BEGIN CERTIFICATE-----\n"));
}

BOOST_AUTO_TEST_CASE(empty_malformed_and_too_long)
{
    BOOST_TEST(error_message([] { read_pem_certificates("no certificate here\n"); }) == "no PEM certificate");
    BOOST_TEST(error_message([] { read_pem_certificates(""); }) == "no PEM certificate");
    BOOST_TEST(error_message([] {
                   read_pem_certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
               }) == "malformed PEM certificate");
    const std::string one = pem_of(shared_ca().intermediate());
    BOOST_TEST(error_message([&] { read_pem_certificates(one + one + one, 2); }) == "more than 2 certificates");
    BOOST_TEST(read_pem_certificates(one + one, 2).size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
