// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssh/caller_identity.hpp"

#include "test/support/temp_dir.hpp"
#include "test/unit/ssh/ssh_test_keys.hpp"

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

using lacme::ssh::address_from_ssh_connection;
using lacme::ssh::caller_from;
using lacme::ssh::caller_identity;
using lacme::ssh::describe;
using lacme::ssh::key_from_auth_info;
using lacme::test::ed25519_fingerprint;
using lacme::test::ed25519_key;
using lacme::test::temp_dir;
using lacme::test::write_file;

BOOST_AUTO_TEST_SUITE(caller_identity_from_ssh)

BOOST_AUTO_TEST_CASE(address_from_ssh_connection_values)
{
    BOOST_TEST(address_from_ssh_connection("127.0.0.1 40022 127.0.0.1 22") == "127.0.0.1 40022");
    BOOST_TEST(address_from_ssh_connection("2001:db8::1 65535 2001:db8::2 22") == "2001:db8::1 65535");
    BOOST_TEST(address_from_ssh_connection("") == "");
    BOOST_TEST(address_from_ssh_connection("127.0.0.1 40022 127.0.0.1") == "");
    BOOST_TEST(address_from_ssh_connection("127.0.0.1 40022 127.0.0.1 22 extra") == "");
    BOOST_TEST(address_from_ssh_connection("127.0.0.1  40022 127.0.0.1 22") == "");
    BOOST_TEST(address_from_ssh_connection("example.org 40022 127.0.0.1 22") == "");
    BOOST_TEST(address_from_ssh_connection("127.0.0.1 65536 127.0.0.1 22") == "");
    BOOST_TEST(address_from_ssh_connection("127.0.0.1 0 127.0.0.1 22") == "");
    BOOST_TEST(address_from_ssh_connection("127.0.0.1 -1 127.0.0.1 22") == "");
    BOOST_TEST(address_from_ssh_connection("127.0.0.1\n 40022 127.0.0.1 22") == "");
    // inet_pton reads a C string: what follows a NUL must not ride along (found by fuzz_ssh_identity).
    BOOST_TEST(address_from_ssh_connection(std::string_view("127.0.0.1\0\x1b[2J 40022 127.0.0.1 22", 33)) == "");
    BOOST_TEST(address_from_ssh_connection("127.0.0.1 40022 127.0.0.1 22" + std::string(300, ' ')) == "");
}

BOOST_AUTO_TEST_CASE(key_from_auth_info_contents)
{
    const std::string key(ed25519_key);
    BOOST_TEST(key_from_auth_info("publickey " + key + "\n") == key);
    BOOST_TEST(key_from_auth_info("publickey " + key) == key);
    BOOST_TEST(key_from_auth_info("password\npublickey " + key + "\n") == key);
    BOOST_TEST(key_from_auth_info("keyboard-interactive\n") == "");
    BOOST_TEST(key_from_auth_info("") == "");
    BOOST_TEST(key_from_auth_info("publickey ssh-ed25519 AAAA\n") == "");
    BOOST_TEST(key_from_auth_info("publickey " + key + "\x1b]0;x\x07\n") == "");
    BOOST_TEST(key_from_auth_info("xpublickey " + key + "\n") == "");
}

BOOST_AUTO_TEST_CASE(caller_from_values_and_files)
{
    const temp_dir dir;
    write_file(dir.file("auth"), "publickey " + std::string(ed25519_key) + "\n");
    const auto caller = caller_from("192.0.2.7 51000 192.0.2.1 22", dir.file("auth"));
    BOOST_TEST(caller.address == "192.0.2.7 51000");
    BOOST_TEST(caller.key == ed25519_key);
    BOOST_TEST(describe(caller) == "192.0.2.7 port 51000 key ssh-ed25519 " + std::string(ed25519_fingerprint));

    const auto local = caller_from(std::nullopt, std::nullopt);
    BOOST_TEST(local.address.empty());
    BOOST_TEST(local.key.empty());
    BOOST_TEST(describe(local) == "local");
    BOOST_TEST(describe(caller_from("192.0.2.7 51000 192.0.2.1 22", std::nullopt)) == "192.0.2.7 port 51000");
}

BOOST_AUTO_TEST_CASE(caller_from_the_environment)
{
    const temp_dir dir;
    write_file(dir.file("auth"), "publickey " + std::string(ed25519_key) + "\n");
    {
        const lacme::test::scoped_env connection("SSH_CONNECTION", "198.51.100.4 40100 198.51.100.1 22");
        const lacme::test::scoped_env auth("SSH_USER_AUTH", dir.file("auth").c_str());
        const auto caller = lacme::ssh::caller_from_environment();
        BOOST_TEST(caller.address == "198.51.100.4 40100");
        BOOST_TEST(caller.key == ed25519_key);
    }
    const lacme::test::scoped_env no_connection("SSH_CONNECTION", nullptr);
    const lacme::test::scoped_env no_auth("SSH_USER_AUTH", nullptr);
    BOOST_TEST(describe(lacme::ssh::caller_from_environment()) == "local");
}

BOOST_AUTO_TEST_CASE(unreadable_or_hostile_auth_files_give_no_key)
{
    const temp_dir dir;
    BOOST_TEST(caller_from(std::nullopt, dir.file("missing")).key.empty());
    BOOST_TEST(caller_from(std::nullopt, dir.path()).key.empty());  // a directory
    BOOST_TEST(caller_from(std::nullopt, "").key.empty());
    // A FIFO would block a plain open() or read() forever.
    BOOST_REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0600) == 0);
    BOOST_TEST(caller_from(std::nullopt, dir.file("fifo")).key.empty());
    // Bigger than sshd ever writes: not read at all.
    write_file(dir.file("big"),
               "publickey " + std::string(ed25519_key) + "\n" + std::string(lacme::ssh::max_auth_info_size, '#'));
    BOOST_TEST(caller_from(std::nullopt, dir.file("big")).key.empty());
    // A symlink is not followed (sshd writes a plain file).
    write_file(dir.file("auth"), "publickey " + std::string(ed25519_key) + "\n");
    BOOST_REQUIRE(::symlink(dir.file("auth").c_str(), dir.file("link").c_str()) == 0);
    BOOST_TEST(caller_from(std::nullopt, dir.file("link")).key.empty());
}

BOOST_AUTO_TEST_SUITE_END()
