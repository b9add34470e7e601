// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssh/openssh_public_key.hpp"

#include "test/unit/ssh/ssh_test_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using lacme::ssh::parse_openssh_public_key;
using lacme::test::ecdsa_fingerprint;
using lacme::test::ecdsa_key;
using lacme::test::ed25519_fingerprint;
using lacme::test::ed25519_key;

namespace {

bool parses(std::string_view line)
{
    return parse_openssh_public_key(line).has_value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openssh_public_key)

BOOST_AUTO_TEST_CASE(keys_with_and_without_comment_and_padding)
{
    const auto ed = parse_openssh_public_key(std::string(ed25519_key) + " web1@example");
    BOOST_REQUIRE(ed);
    BOOST_TEST(ed->type == "ssh-ed25519");
    BOOST_TEST(ed->text() == ed25519_key);
    BOOST_TEST(ed->comment == "web1@example");
    BOOST_TEST(fingerprint(*ed) == ed25519_fingerprint);
    const auto ec = parse_openssh_public_key(ecdsa_key);
    BOOST_REQUIRE(ec);
    BOOST_TEST(ec->text() == ecdsa_key);
    BOOST_TEST(fingerprint(*ec) == ecdsa_fingerprint);
}

BOOST_AUTO_TEST_CASE(type_must_match_the_blob)
{
    std::string other(ed25519_key);
    other.replace(0, std::string_view("ssh-ed25519").size(), "ssh-rsa");
    BOOST_TEST(!parses(other));
}

BOOST_AUTO_TEST_CASE(malformed_lines)
{
    const std::string base64(ed25519_key.substr(ed25519_key.find(' ') + 1));
    BOOST_TEST(!parses(""));
    BOOST_TEST(!parses("ssh-ed25519"));
    BOOST_TEST(!parses("ssh-ed25519 "));
    BOOST_TEST(!parses(" " + std::string(ed25519_key)));
    BOOST_TEST(!parses("ssh-ed25519  " + base64));  // two spaces
    BOOST_TEST(!parses("ssh-ed25519 " + base64.substr(1)));  // truncated blob
    BOOST_TEST(!parses("ssh-ed25519 " + base64 + "=="));  // padding where none belongs
    BOOST_TEST(!parses(std::string(ed25519_key) + " comment\n"));  // newline
    BOOST_TEST(!parses(std::string(ed25519_key) + " a\x1b[2Jb"));  // terminal escape
    BOOST_TEST(!parses(std::string(ed25519_key) + " caf\xc3\xa9"));  // not ASCII
    BOOST_TEST(!parses("ssh\"ed25519 " + base64));  // quote in the type
    std::string url_alphabet(ecdsa_key);
    std::replace(url_alphabet.begin(), url_alphabet.end(), '/', '_');
    BOOST_TEST(!parses(url_alphabet));
}

BOOST_AUTO_TEST_CASE(oversized_blob_refused)
{
    // A blob whose type string is right but which is far too big: refused before decoding.
    const std::string huge = "ssh-ed25519 " + std::string(lacme::ssh::max_public_key_base64 + 4, 'A');
    BOOST_TEST(!parses(huge));
}

BOOST_AUTO_TEST_SUITE_END()
