// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssh/authorized_keys_line.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"
#include "test/unit/ssh/ssh_test_keys.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <initializer_list>

using lacme::ssh::authorized_keys_line;
using lacme::ssh::authorized_keys_request;
using lacme::test::ed25519_key;
using lacme::test::error_message;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

// A signer layout in a temp dir: a stand-in lacme-accountd, a policy, a config, a key file.
struct signer_files {
    temp_dir dir;
    authorized_keys_request request;

    signer_files()
    {
        write_file(dir.file("lacme-accountd"), "");
        write_file(dir.file("web1.policy"), "[policy]\n");
        write_file(dir.file("accountd.conf"), "");
        write_file(dir.file("web1.pub"), std::string(ed25519_key) + " root@web1\n");
        request = {dir.file("lacme-accountd"), dir.file("web1.policy"), std::nullopt, std::nullopt, std::nullopt,
                   dir.file("web1.pub")};
    }
    [[nodiscard]] std::string command_prefix() const
    {
        return "command=\"" + dir.file("lacme-accountd") + " --quiet --stdio";
    }
    [[nodiscard]] std::string error() const
    {
        return error_message([&] { (void)authorized_keys_line(request); });
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(authorized_keys_lines)

BOOST_AUTO_TEST_CASE(line_with_and_without_from_and_config)
{
    signer_files f;
    BOOST_TEST(authorized_keys_line(f.request) == "restrict," + f.command_prefix() +
                                                      " --policy=" + f.dir.file("web1.policy") + "\" " +
                                                      std::string(ed25519_key) + " root@web1");
    f.request.from = "192.0.2.10,2001:db8::/32,!192.0.2.66,*.web.example";
    f.request.config = f.dir.file("accountd.conf");
    BOOST_TEST(authorized_keys_line(f.request) ==
               "restrict,from=\"192.0.2.10,2001:db8::/32,!192.0.2.66,*.web.example\"," + f.command_prefix() +
                   " --config=" + f.dir.file("accountd.conf") + " --policy=" + f.dir.file("web1.policy") + "\" " +
                   std::string(ed25519_key) + " root@web1");
}

BOOST_AUTO_TEST_CASE(relay_line_names_the_listener_not_the_policy)
{
    signer_files f;
    f.request.relay = "web1";
    f.request.policy.clear();
    f.request.config = f.dir.file("accountd.conf");
    f.request.from = "192.0.2.10";
    BOOST_TEST(authorized_keys_line(f.request) == "restrict,from=\"192.0.2.10\",command=\"" +
                                                      f.dir.file("lacme-accountd") +
                                                      " --quiet --relay=web1 --config=" + f.dir.file("accountd.conf") +
                                                      "\" " + std::string(ed25519_key) + " root@web1");
    for (const char* bad : {"", "-x", "a/b", "a b", "a\"b", "a=b", "a;b"}) {
        f.request.relay = bad;
        BOOST_TEST(f.error().find("cannot go into a forced command") != std::string::npos, bad);
    }
}

BOOST_AUTO_TEST_CASE(relative_paths_become_absolute)
{
    signer_files f;
    const std::string previous = std::filesystem::current_path();
    std::filesystem::create_directory(f.dir.file("sub"));
    std::filesystem::current_path(f.dir.path());
    f.request.policy = "./sub/../web1.policy";
    f.request.public_key_file = "web1.pub";
    const auto line = authorized_keys_line(f.request);
    std::filesystem::current_path(previous);
    BOOST_TEST(line.find(" --policy=" + f.dir.file("web1.policy") + "\" ") != std::string::npos, line);
}

BOOST_AUTO_TEST_CASE(paths_that_cannot_be_quoted_are_refused)
{
    for (const std::string name : {"we b1.policy", "web1\".policy", "web1$(id).policy", "web1;x", "web1\\x", "a%b",
                                   "web1'x", "web1`x`", "new\nline"}) {
        signer_files f;
        write_file(f.dir.file(name), "[policy]\n");
        f.request.policy = f.dir.file(name);
        BOOST_TEST(f.error().find("which an authorized_keys forced command cannot carry safely") != std::string::npos,
                   name + ": " + f.error());
    }
}

BOOST_AUTO_TEST_CASE(missing_or_odd_files_are_refused)
{
    signer_files f;
    f.request.policy = f.dir.file("absent.policy");
    BOOST_TEST(f.error() == "policy file " + f.dir.file("absent.policy") + ": No such file or directory");
    f.request.policy = f.dir.path();
    BOOST_TEST(f.error() == "policy file " + f.dir.path() + " is not a regular file");
    signer_files g;
    g.request.accountd = "lacme-accountd";
    BOOST_TEST(g.error() == "lacme-accountd path lacme-accountd is not absolute");
}

BOOST_AUTO_TEST_CASE(bad_from_patterns_are_refused)
{
    for (const std::string from : {"", "192.0.2.1\"", "a,,b", ",a", "a,", "a b", "a\nb", "host\\x"}) {
        signer_files f;
        f.request.from = from;
        BOOST_TEST(f.error().find("is not an sshd pattern-list") != std::string::npos, from + ": " + f.error());
    }
}

BOOST_AUTO_TEST_CASE(key_file_must_be_one_public_key_line)
{
    const std::string key(ed25519_key);
    for (const std::string& contents : std::initializer_list<std::string>{
             std::string(), key + "\n" + key + "\n", key + "\n\n", "-----BEGIN OPENSSH PRIVATE KEY-----\n",
             "from=\"*\" " + key + "\n", key + " comment\r\n", "ssh-ed25519 AAAA\n"}) {
        signer_files f;
        write_file(f.dir.file("web1.pub"), contents);
        BOOST_TEST(f.error() == "public key file " + f.dir.file("web1.pub") +
                                    " does not hold exactly one OpenSSH public key line (TYPE BASE64 [COMMENT])",
                   f.error());
    }
    signer_files big;
    write_file(big.dir.file("web1.pub"), key + " " + std::string(lacme::ssh::max_public_key_file, 'c') + "\n");
    BOOST_TEST(big.error() == "public key file " + big.dir.file("web1.pub") + " is larger than " +
                                  std::to_string(lacme::ssh::max_public_key_file) + " bytes");
    signer_files fifo;
    ::unlink(fifo.dir.file("web1.pub").c_str());
    BOOST_REQUIRE(::mkfifo(fifo.dir.file("web1.pub").c_str(), 0600) == 0);
    BOOST_TEST(fifo.error() == "public key file " + fifo.dir.file("web1.pub") + " is not a regular file");
}

BOOST_AUTO_TEST_SUITE_END()
