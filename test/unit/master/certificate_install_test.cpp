// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/certificate_install.hpp"

#include "master/certificate_files.hpp"

#include "test/support/error_message.hpp"
#include "printers.hpp"
#include "test_pki.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <functional>

using lacme::master::certificate_section;
using lacme::master::verify_and_install;
using lacme::test::error_message;
using lacme::test::file_mode;
using lacme::test::read_file;
using lacme::test::section_in;
using lacme::test::shared_ca;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

std::string issued_chain(EVP_PKEY* key, int days = 90)
{
    return shared_ca().chain_pem(*shared_ca().issue(key, "www.example.org", days));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(certificate_install)

BOOST_AUTO_TEST_CASE(installs_leaf_and_chain_with_mode_and_returns_expiry)
{
    temp_dir dir;
    auto s = section_in(dir, lacme::test::shared_p256());
    s.chmod = 0640;
    const std::string key_before = read_file(s.certificate_key);
    const std::string chain = issued_chain(lacme::test::shared_p256());
    const auto certs = lacme::read_pem_certificates(chain);
    const auto installed = verify_and_install(s, "junk from the CA\n" + chain, std::chrono::system_clock::now());
    BOOST_TEST(read_file(s.certificate) == lacme::pem_of(*certs[0]));
    BOOST_TEST(read_file(s.certificate_chain) == chain);
    BOOST_TEST(file_mode(s.certificate) == 0640u);
    BOOST_TEST(file_mode(s.certificate_chain) == 0640u);
    BOOST_TEST((installed.paths == std::vector<std::string>{s.certificate, s.certificate_chain}));
    BOOST_TEST(installed.expiry == lacme::master::expiry_of(*certs[0]));
    BOOST_TEST(read_file(s.certificate_key) == key_before);
    BOOST_TEST(file_mode(s.certificate_key) == 0600u);
}

BOOST_AUTO_TEST_CASE(only_the_configured_files_and_default_mode_from_umask)
{
    for (const bool chain_only : {false, true}) {
        temp_dir dir;
        auto s = section_in(dir, lacme::test::shared_rsa2048());
        (chain_only ? s.certificate : s.certificate_chain).clear();
        const mode_t saved = ::umask(027);
        verify_and_install(s, issued_chain(lacme::test::shared_rsa2048()), std::chrono::system_clock::now());
        ::umask(saved);
        const std::string& written = chain_only ? s.certificate_chain : s.certificate;
        BOOST_TEST(file_mode(written) == 0640u);
        BOOST_TEST(dir.entries().size() == 3u);  // key, CAfile, written, and nothing else
        BOOST_TEST(lacme::read_pem_certificates(read_file(written)).size() == (chain_only ? 2u : 1u));
    }
}

BOOST_AUTO_TEST_CASE(chown_user_and_group)
{
    if (::geteuid() != 0)
        return;
    temp_dir dir;
    auto s = section_in(dir, lacme::test::shared_p256());
    s.chown = lacme::master::owner_spec{"nobody", "nogroup"};
    verify_and_install(s, issued_chain(lacme::test::shared_p256()), std::chrono::system_clock::now());
    struct stat st {};
    BOOST_REQUIRE(::stat(s.certificate.c_str(), &st) == 0);
    BOOST_TEST(st.st_uid == 65534u);
    BOOST_TEST(st.st_gid == 65534u);
}

BOOST_AUTO_TEST_CASE(ed25519_and_p384_service_keys)
{
    const auto ed = lacme::test::generate_ed25519();
    for (EVP_PKEY* key : {ed.get(), lacme::test::shared_p384()}) {
        temp_dir dir;
        const auto s = section_in(dir, key);
        verify_and_install(s, issued_chain(key), std::chrono::system_clock::now());
        BOOST_TEST(read_file(s.certificate).starts_with("-----BEGIN CERTIFICATE-----"));
    }
}

BOOST_AUTO_TEST_CASE(empty_cafile_skips_verification)
{
    temp_dir dir;
    auto s = section_in(dir, lacme::test::shared_p256());
    s.ca_file.clear();
    const std::string leaf_only = lacme::pem_of(*shared_ca().issue(lacme::test::shared_p256(), "www.example.org"));
    verify_and_install(s, leaf_only, std::chrono::system_clock::now());  // no intermediate: could not verify
    BOOST_TEST(read_file(s.certificate_chain) == leaf_only);
}

// Every failed check leaves the old files exactly as they were and writes nothing else.
BOOST_AUTO_TEST_CASE(nothing_is_installed_when_a_check_fails)
{
    struct failure {
        std::string what;
        std::function<void(certificate_section&, std::string& chain, const temp_dir&)> arrange;
        std::string message;  // expected prefix
    };
    const auto other = lacme::test::generate_ec("P-256");
    const lacme::test::test_ca other_ca;
    const std::vector<failure> failures = {
        {"config error", [](auto& s, auto&, auto&) { s.errors = {"c.conf:3: chmod: not an octal mode: '9'"}; },
         "c.conf:3: chmod: not an octal mode: '9'"},
        {"empty chain", [](auto&, auto& chain, auto&) { chain = "not PEM"; },
         "received a bogus certificate chain: no PEM certificate"},
        {"key mismatch", [&](auto&, auto& chain, auto&) { chain = issued_chain(other.get()); },
         "the issued certificate's public key is not the one of "},
        {"another CA", [&](auto& s, auto&, auto&) { write_file(s.ca_file, other_ca.root_pem()); },
         "certificate verification failed: unable to get local issuer certificate"},
        {"intermediate as CAfile",
         [](auto& s, auto&, auto&) { write_file(s.ca_file, lacme::pem_of(shared_ca().intermediate())); },
         "certificate verification failed: unable to get issuer certificate"},
        {"CAfile without certificate", [](auto& s, auto&, auto&) { write_file(s.ca_file, "nothing\n"); }, "CAfile "},
        {"unreadable CAfile", [](auto& s, auto&, auto& dir) { s.ca_file = dir.file("missing-ca.pem"); }, "CAfile "},
        {"expired", [](auto&, auto& chain, auto&) { chain = issued_chain(lacme::test::shared_p256(), -2); },
         "the issued certificate is not new: valid from before "},
        {"another name",
         [](auto&, auto& chain, auto&) {
             chain = shared_ca().chain_pem(*shared_ca().issue(lacme::test::shared_p256(), "victim.example.org"));
         },
         "the issued certificate is for victim.example.org, not for the section's www.example.org"},
        {"fewer names than ordered",
         [](auto& s, auto&, auto&) {
             s.subject_alt_names = {{lacme::master::subject_alt_name::kind::ip, "192.0.2.1"}};
         },
         "the issued certificate is for www.example.org, not for the section's 192.0.2.1, www.example.org"},
        {"missing intermediate",
         [](auto&, auto& chain, auto&) {
             chain = lacme::pem_of(*shared_ca().issue(lacme::test::shared_p256(), "www.example.org"));
         },
         "certificate verification failed: unable to get local issuer certificate"},
        {"unknown chown user",
         [](auto& s, auto&, auto&) {
             s.chown = lacme::master::owner_spec{"no-such-user-x", std::nullopt};
         },
         "chown: unknown user no-such-user-x"},
        {"unknown chown group",
         [](auto& s, auto&, auto&) {
             s.chown = lacme::master::owner_spec{"root", "no-such-group-x"};
         },
         "chown: unknown group no-such-group-x"},
        {"client certificate",
         [](auto&, auto& chain, auto&) {
             chain = shared_ca().chain_pem(
                 *shared_ca().issue(lacme::test::shared_p256(), "www.example.org", 90, 7, {"clientAuth", true}));
         },
         "certificate verification failed: unsuitable certificate purpose"},
        {"not RFC 5280 (strict)",
         [](auto&, auto& chain, auto&) {
             chain = shared_ca().chain_pem(
                 *shared_ca().issue(lacme::test::shared_p256(), "www.example.org", 90, 8, {"serverAuth", false}));
         },
         "certificate verification failed: Missing Authority Key Identifier"},
        {"missing key", [](auto& s, auto&, auto& dir) { s.certificate_key = dir.file("gone.key"); }, "can't open "},
    };
    for (const auto& f : failures) {
        temp_dir dir;
        auto s = section_in(dir, lacme::test::shared_p256());
        write_file(s.certificate, "old certificate\n");
        write_file(s.certificate_chain, "old chain\n");
        std::string chain = issued_chain(lacme::test::shared_p256());
        f.arrange(s, chain, dir);
        const auto before = dir.entries();
        const std::string message =
            error_message([&] { verify_and_install(s, chain, std::chrono::system_clock::now()); });
        BOOST_TEST(message.starts_with(f.message), f.what << ": " << message);
        BOOST_TEST(message.find('\n') == std::string::npos);
        BOOST_TEST(read_file(s.certificate) == "old certificate\n", f.what);
        BOOST_TEST(read_file(s.certificate_chain) == "old chain\n", f.what);
        BOOST_TEST(dir.entries() == before, f.what);
    }
}

// A compromised client replaying an earlier certificate of the same key and names: refused
// once its notBefore is more than the allowance (CA backdating, clock difference) before the order.
BOOST_AUTO_TEST_CASE(a_leaf_older_than_the_order_is_refused)
{
    temp_dir dir;
    const auto s = section_in(dir, lacme::test::shared_p256());
    const std::string chain = issued_chain(lacme::test::shared_p256());  // notBefore: an hour ago
    const auto now = std::chrono::system_clock::now();
    BOOST_TEST(error_message([&] {
                   verify_and_install(s, chain, now + std::chrono::hours(1) + std::chrono::minutes(5));
               }).starts_with("the issued certificate is not new: valid from before "));
    BOOST_TEST(!std::filesystem::exists(s.certificate));
    BOOST_TEST(error_message([&] { verify_and_install(s, chain, now + std::chrono::minutes(55)); }) ==
               "<no exception>");
}

BOOST_AUTO_TEST_CASE(dns_names_match_without_regard_to_case)
{
    temp_dir dir;
    auto s = section_in(dir, lacme::test::shared_p256());
    s.subject = "/CN=WWW.Example.ORG";
    BOOST_TEST(error_message([&] {
                   verify_and_install(s, issued_chain(lacme::test::shared_p256()), std::chrono::system_clock::now());
               }) == "<no exception>");
}

// Found by fuzz_issued_leaf: the names of a refused leaf went into the message as they were, so
// a CA (or a compromised client) could put a newline or a terminal escape into the master's log.
BOOST_AUTO_TEST_CASE(a_refused_leaf_is_named_printably)
{
    temp_dir dir;
    const auto s = section_in(dir, lacme::test::shared_p256());
    const std::string chain =
        shared_ca().chain_pem(*shared_ca().issue(lacme::test::shared_p256(), "evil\x1b[2J.example.org"));
    BOOST_TEST(error_message([&] { verify_and_install(s, chain, std::chrono::system_clock::now()); }) ==
               R"(the issued certificate is for evil\x1b[2j.example.org, not for the section's www.example.org)");
}

// Certificates appended by the client (here: another CA's root and an unrelated leaf) are not
// installed: certificate-chain is the verified path, or without CAfile the part that chains.
BOOST_AUTO_TEST_CASE(appended_certificates_are_not_installed)
{
    const lacme::test::test_ca other_ca;
    const auto other_key = lacme::test::generate_ec("P-256");
    const std::string chain = issued_chain(lacme::test::shared_p256());
    const std::string appended =
        chain + other_ca.root_pem() + lacme::pem_of(*other_ca.issue(other_key.get(), "victim.example.org"));
    for (const bool with_ca_file : {true, false}) {
        temp_dir dir;
        auto s = section_in(dir, lacme::test::shared_p256());
        if (!with_ca_file)
            s.ca_file.clear();
        verify_and_install(s, appended, std::chrono::system_clock::now());
        BOOST_TEST(read_file(s.certificate_chain) == chain, "CAfile: " << with_ca_file);
    }
}

BOOST_AUTO_TEST_CASE(unwritable_target_directory)
{
    temp_dir dir;
    auto s = section_in(dir, lacme::test::shared_p256());
    s.certificate = dir.file("missing-dir/www.crt");
    BOOST_TEST(error_message([&] {
                   verify_and_install(s, issued_chain(lacme::test::shared_p256()), std::chrono::system_clock::now());
               }).starts_with("can't create a temporary file beside " + s.certificate));
}

BOOST_AUTO_TEST_SUITE_END()
