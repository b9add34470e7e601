// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/renewal.hpp"

#include "test/support/error_message.hpp"
#include "printers.hpp"
#include "test_pki.hpp"

#include <boost/test/unit_test.hpp>

using lacme::renewal_window;
using lacme::master::certificate_section;
using lacme::master::days_until;
using lacme::master::decide_renewal;
using lacme::test::error_message;
using lacme::test::shared_ca;
using lacme::test::temp_dir;
using lacme::test::write_file;
using namespace std::chrono_literals;

namespace {

const auto now = std::chrono::system_clock::now();

// A section of dir with a P-256 service key and, when days is set, an installed certificate for
// it expiring in that many days.
certificate_section section_in(const temp_dir& dir, std::optional<int> days)
{
    certificate_section s;
    s.name = "www";
    s.certificate = dir.file("www.crt");
    s.certificate_key = dir.file("www.key");
    write_file(s.certificate_key,
               lacme::test::private_key_pem(lacme::test::shared_p256(), lacme::test::pem_format::pkcs8));
    if (days)
        write_file(s.certificate,
                   lacme::pem_of(*shared_ca().issue(lacme::test::shared_p256(), "www.example.org", *days)));
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(renewal)

BOOST_AUTO_TEST_CASE(no_installed_certificate_renews)
{
    temp_dir dir;
    const auto d = decide_renewal(section_in(dir, std::nullopt), std::nullopt, now);
    BOOST_TEST(d.renew);
    BOOST_TEST(d.reason == "no certificate installed yet");
    BOOST_TEST(!d.expiry);
}

BOOST_AUTO_TEST_CASE(min_days_from_cli_then_section_then_21)
{
    temp_dir dir;
    auto s = section_in(dir, 30);
    auto d = decide_renewal(s, std::nullopt, now);
    BOOST_TEST(!d.renew);
    BOOST_REQUIRE(d.expiry.has_value());
    const long days = days_until(*d.expiry, now);
    BOOST_TEST((days == 29 || days == 30));  // notAfter has whole seconds
    const std::string reason = "expires in " + std::to_string(days) + " days";
    BOOST_TEST(d.reason == reason);
    s.min_days = 45;
    BOOST_TEST(decide_renewal(s, std::nullopt, now).renew);
    BOOST_TEST(decide_renewal(s, 10, now).renew == false);  // the command line wins
    BOOST_TEST(decide_renewal(s, 31, now).reason == reason);
    BOOST_TEST(decide_renewal(s, 31, now).renew);
}

BOOST_AUTO_TEST_CASE(zero_renews_only_expired_and_negative_or_force_always)
{
    temp_dir dir;
    auto s = section_in(dir, 1);
    BOOST_TEST(!decide_renewal(s, 0, now).renew);
    BOOST_TEST(decide_renewal(s, 0, now + 25h).renew);
    const auto forced = decide_renewal(s, -1, now);  // --force
    BOOST_TEST(forced.renew);
    BOOST_TEST(forced.reason == "renewal forced");
    s.min_days = -1;
    BOOST_TEST(decide_renewal(s, std::nullopt, now).renew);
}

BOOST_AUTO_TEST_CASE(chain_file_decides_when_configured)
{
    temp_dir dir;
    auto s = section_in(dir, 90);
    s.certificate_chain = dir.file("chain.pem");
    BOOST_TEST(decide_renewal(s, std::nullopt, now).reason == "no certificate installed yet");
}

BOOST_AUTO_TEST_CASE(unreadable_certificate_renews)
{
    temp_dir dir;
    auto s = section_in(dir, std::nullopt);
    write_file(s.certificate, "garbage\n");
    const auto d = decide_renewal(s, std::nullopt, now);
    BOOST_TEST(d.renew);
    BOOST_TEST(d.reason == "the installed certificate can't be read: " + s.certificate + ": no PEM certificate");
}

BOOST_AUTO_TEST_CASE(ari_window_started_renews_before_min_days)
{
    temp_dir dir;
    const auto s = section_in(dir, 60);
    BOOST_TEST(!decide_renewal(s, std::nullopt, now, renewal_window{now + 1h, now + 2h}).renew);
    const auto d = decide_renewal(s, std::nullopt, now, renewal_window{now - 1h, now + 2h});
    BOOST_TEST(d.renew);
    BOOST_TEST(d.reason == "the CA's renewal window has started");
}

// Issue 23: after certificate-key is replaced (key rotation), every run failed "not a
// certificate for KEY (use --force)", due or not; the certificate is renewed with the new key now.
BOOST_AUTO_TEST_CASE(certificate_of_another_key_is_renewed_now)
{
    temp_dir dir;
    auto s = section_in(dir, 60);
    write_file(s.certificate_key,
               lacme::test::private_key_pem(lacme::test::shared_p384(), lacme::test::pem_format::pkcs8));
    const auto rotated = decide_renewal(s, std::nullopt, now);
    BOOST_TEST(rotated.renew);
    BOOST_TEST(rotated.key_changed);
    BOOST_TEST(rotated.reason == "the certificate does not match certificate-key " + s.certificate_key);
    BOOST_TEST(decide_renewal(s, -1, now).renew);
    s.certificate_key = dir.file("missing.key");
    BOOST_TEST(
        error_message([&] { decide_renewal(s, std::nullopt, now); }).starts_with("can't open " + s.certificate_key));
}

BOOST_AUTO_TEST_CASE(days_round_down)
{
    BOOST_TEST(days_until(now + 24h * 74 + 23h, now) == 74);
    BOOST_TEST(days_until(now - 1h, now) == -1);
}

BOOST_AUTO_TEST_SUITE_END()
