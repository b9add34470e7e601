// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/key_source.hpp"

#include "test/support/error_message.hpp"
#include "test/support/printers.hpp"
#include "test/support/temp_dir.hpp"
#include "test/support/test_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

using lacme::jws_algorithm;
using lacme::accountd::open_signer;
using lacme::accountd::settings;
using lacme::test::error_message;
using lacme::test::pem_format;
using lacme::test::private_key_pem;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

std::string open_error(const settings& s)
{
    lacme::logger log(lacme::log_level::info);
    return error_message([&] { (void)open_signer(s, log); });
}

std::unique_ptr<lacme::accountd::signer> open(const settings& s)
{
    lacme::logger log(lacme::log_level::info);
    return open_signer(s, log);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(accountd_key_source)

BOOST_AUTO_TEST_CASE(privkey_must_be_set_and_have_a_known_method)
{
    settings s;
    BOOST_TEST(open_error(s) == "'privkey' is not specified");
    s.privkey.emplace(std::string_view("/etc/lacme/account.key"));
    s.privkey_origin = "/etc/lacme/lacme-accountd.conf:3";
    BOOST_TEST(open_error(s) == "/etc/lacme/lacme-accountd.conf:3: privkey: unsupported method: /etc/lacme/account.key "
                                "(a key file is file:/etc/lacme/account.key)");
    s.privkey.emplace(std::string_view("file:"));
    BOOST_TEST(open_error(s) == "/etc/lacme/lacme-accountd.conf:3: privkey: unsupported method: file:");
    s.privkey.emplace(std::string_view("ssh:/key"));
    BOOST_TEST(open_error(s) == "/etc/lacme/lacme-accountd.conf:3: privkey: unsupported method: ssh:/key "
                                "(file:PATH, gpg:PATH, pkcs11:URI or store:URI)");
}

BOOST_AUTO_TEST_CASE(file_method_loads_a_pem_key)
{
    temp_dir dir;
    write_file(dir.file("account.key"), private_key_pem(lacme::test::shared_p384(), pem_format::traditional));
    settings s;
    s.privkey.emplace("file:" + dir.file("account.key"));
    const auto signer = open(s);
    BOOST_TEST(signer->algorithm() == jws_algorithm::es384);
    BOOST_TEST(signer->jwk() == lacme::account_public_key_from(lacme::test::shared_p384()).jwk);
}

BOOST_AUTO_TEST_CASE(file_method_path_is_percent_expanded)
{
    temp_dir dir;
    write_file(dir.file("account.key"), private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8));
    const lacme::test::scoped_env tmpdir("TMPDIR", dir.path().c_str());
    settings s;
    s.privkey.emplace(std::string_view("file:%T/account.key"));
    BOOST_TEST(open(s)->algorithm() == jws_algorithm::es256);
}

BOOST_AUTO_TEST_CASE(file_method_errors_name_the_file)
{
    temp_dir dir;
    settings s;
    s.privkey.emplace("file:" + dir.file("absent.key"));
    BOOST_TEST(open_error(s) == "can't open " + dir.file("absent.key") + ": No such file or directory");

    write_file(dir.file("garbage.key"), "not a key\n");
    s.privkey.emplace("file:" + dir.file("garbage.key"));
    BOOST_TEST(open_error(s) == dir.file("garbage.key") + ": not a PEM private key");

    write_file(dir.file("huge.key"), std::string(1024 * 1024 + 1, 'A'));
    s.privkey.emplace("file:" + dir.file("huge.key"));
    BOOST_TEST(open_error(s) == dir.file("huge.key") + " is larger than 1048576 bytes");
}

BOOST_AUTO_TEST_CASE(encrypted_file_key_uses_the_passphrase_file)
{
    temp_dir dir;
    write_file(dir.file("account.key"), private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8, "s3cret pass"));
    write_file(dir.file("passphrase"), "s3cret pass\r\n");
    settings s;
    s.privkey.emplace("file:" + dir.file("account.key"));
    s.passphrase_file = dir.file("passphrase");
    BOOST_TEST(open(s)->algorithm() == jws_algorithm::es256);

    write_file(dir.file("passphrase"), "wrong\n");
    BOOST_TEST(open_error(s) == dir.file("account.key") + ": wrong passphrase (or damaged encrypted key)");

    s.passphrase_file = dir.file("absent");
    BOOST_TEST(open_error(s) ==
               dir.file("account.key") + ": can't open " + dir.file("absent") + ": No such file or directory");
}

BOOST_AUTO_TEST_CASE(gpg_method_runs_the_configured_command)
{
    // A stand-in for gpg that records its arguments and prints the "decrypted" key.
    temp_dir dir;
    const std::string key_path = dir.file("account.key.gpg");
    write_file(key_path, private_key_pem(lacme::test::shared_rsa2048(), pem_format::pkcs8));
    const std::string fake_gpg = dir.file("fake-gpg");
    write_file(fake_gpg,
               "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\nfor last; do :; done\ncat \"$last\"\n");
    ::chmod(fake_gpg.c_str(), 0755);
    settings s;
    s.privkey.emplace("gpg:" + key_path);
    s.gpg = fake_gpg + "  --homedir /nonexistent";
    const auto signer = open(s);
    BOOST_TEST(signer->algorithm() == jws_algorithm::rs256);
    BOOST_TEST(lacme::test::read_file(dir.file("args")) ==
               "--homedir\n/nonexistent\n-o\n-\n--decrypt\n--\n" + key_path + "\n");
}

BOOST_AUTO_TEST_CASE(gpg_failure_is_an_error)
{
    temp_dir dir;
    settings s;
    s.privkey.emplace("gpg:" + dir.file("account.key.gpg"));
    s.gpg = "false";
    BOOST_TEST(open_error(s) == "false exited with value 1");
}

BOOST_AUTO_TEST_SUITE_END()
