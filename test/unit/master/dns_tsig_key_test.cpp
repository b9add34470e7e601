// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_tsig_key.hpp"

#include "common/error.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

using lacme::master::parse_tsig_key;
using lacme::master::read_tsig_key;
using lacme::test::error_message;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

const std::string secret = "Co+iNSaOQTgIUyU19H59LZuYE5jVo0WnQpMvB1qVh9Y=";
// As tsig-keygen writes it.
const std::string keygen_output = "key \"lacme-key\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + secret + "\";\n};\n";

std::string parse_error(const std::string& text)
{
    return error_message([&] { (void)parse_tsig_key(text, "k.conf"); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dns_tsig_key)

BOOST_AUTO_TEST_CASE(tsig_keygen_output_parses)
{
    const auto key = parse_tsig_key(keygen_output, "k.conf");
    BOOST_TEST(key.name == "lacme-key");
    BOOST_TEST(key.algorithm == "hmac-sha256");
    BOOST_TEST(key.secret.reveal() == secret);
}

BOOST_AUTO_TEST_CASE(comments_order_case_and_a_trailing_dot_are_accepted)
{
    const auto key = parse_tsig_key("# made by hand\n// for lacme\n/* two\nlines */ key Lacme.Key. { secret \"" +
                                        secret + "\"; algorithm HMAC-SHA512.; };",
                                    "k.conf");
    BOOST_TEST(key.name == "lacme.key");
    BOOST_TEST(key.algorithm == "hmac-sha512");
    BOOST_TEST(parse_tsig_key("key k { algorithm hmac-sha1; secret \"" + secret + "\"; };", "f").algorithm ==
               "hmac-sha1");
}

BOOST_AUTO_TEST_CASE(a_bad_algorithm_is_refused)
{
    for (const std::string alg : {"hmac-md5", "hmac-sha384", "hmac-sha224", "rsa"})
        BOOST_TEST(parse_error("key k { algorithm " + alg + "; secret \"" + secret + "\"; };")
                       .starts_with("k.conf: key 'k': unsupported algorithm '" + alg + "'"),
                   alg);
    BOOST_TEST(parse_error("key k { secret \"" + secret + "\"; };") == "k.conf: key 'k' has no algorithm");
}

BOOST_AUTO_TEST_CASE(a_missing_or_bad_secret_is_refused_without_showing_it)
{
    BOOST_TEST(parse_error("key k { algorithm hmac-sha256; };") == "k.conf: key 'k' has no secret");
    for (const std::string s : {"\"not base64!\"", "\"abc\"", "\"\"", "c2VjcmV0"})
        BOOST_TEST(parse_error("key k { algorithm hmac-sha256; secret " + s + "; };") ==
                       "k.conf: the secret of key 'k' is not a quoted base64 string",
                   s);
    // A secret in the wrong place is not quoted back either.
    const std::string misplaced = parse_error("key k { algorithm hmac-sha256; \"" + secret + "\"; };");
    BOOST_TEST(misplaced.find(secret) == std::string::npos, misplaced);
    BOOST_TEST(misplaced == "k.conf: unexpected a quoted string in key 'k'");
}

BOOST_AUTO_TEST_CASE(garbage_is_refused)
{
    BOOST_TEST(parse_error("") == "k.conf: expected 'key', got the end of the file");
    BOOST_TEST(parse_error("options { };") == "k.conf: expected 'key', got 'options'");
    BOOST_TEST(parse_error("key \"k\" { algorithm hmac-sha256; secret \"" + secret + "\"; }") ==
               "k.conf: expected ';', got the end of the file");
    BOOST_TEST(parse_error("key \"k") == "k.conf: unterminated quoted string");
    BOOST_TEST(parse_error("key k { /* ") == "k.conf: unterminated comment");
    BOOST_TEST(parse_error("key \"bad name!\" { };").starts_with("k.conf: bad key name"));
    BOOST_TEST(parse_error(keygen_output + keygen_output) ==
               "k.conf: more than one key statement (lacme takes one key per file)");
    BOOST_TEST(parse_error("key k { algorithm hmac-sha256; secret \"" + secret + "\"; foo bar; };") ==
               "k.conf: unexpected 'foo' in key 'k'");
}

BOOST_AUTO_TEST_CASE(the_file_must_be_the_owners_alone_and_not_a_symlink)
{
    temp_dir dir;
    const std::string path = dir.file("tsig.key");
    write_file(path, keygen_output);
    BOOST_REQUIRE(::chmod(path.c_str(), 0600) == 0);
    BOOST_TEST(read_tsig_key(path, ::geteuid()).name == "lacme-key");
    BOOST_TEST(error_message([&] { (void)read_tsig_key(path, ::geteuid() + 1); }) ==
               "dns-tsig-key " + path + ": not owned by root (it holds a secret)");
    for (const mode_t mode : {0640, 0604, 0620}) {
        BOOST_REQUIRE(::chmod(path.c_str(), mode) == 0);
        BOOST_TEST(error_message([&] { (void)read_tsig_key(path, ::geteuid()); }) ==
                       "dns-tsig-key " + path + ": group or others may access it (it holds a secret: chmod 600)",
                   mode);
    }
    BOOST_REQUIRE(::chmod(path.c_str(), 0600) == 0);
    const std::string link = dir.file("link.key");
    BOOST_REQUIRE(::symlink(path.c_str(), link.c_str()) == 0);
    BOOST_TEST(error_message([&] { (void)read_tsig_key(link, ::geteuid()); }).starts_with("dns-tsig-key " + link));
    BOOST_CHECK_THROW((void)read_tsig_key(dir.file("missing.key"), ::geteuid()), lacme::error);
}

BOOST_AUTO_TEST_SUITE_END()
