// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_journal.hpp"

#include "common/error.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

using lacme::master::dns_journal_entry;
using lacme::master::dns_journal_path;
using lacme::master::dns_update_settings;
using lacme::master::read_dns_journal;
using lacme::master::write_dns_journal;
using lacme::test::error_message;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

// One added by the hook, one by RFC 2136 (whose journal entry says how to delete it).
const std::vector<dns_journal_entry> records = {
    {{"_acme-challenge.example.org", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"}, std::nullopt},
    {{"_acme-challenge.example.org", "Kn2pQMYfvFhcM6m7FfZhr3_MLsbX8hVrkl_W6PKJnvE"},
     dns_update_settings{{"::1", 5353}, "/etc/lacme/tsig.key", "example.org"}},
    {{"_acme-challenge.example.net", "Kn2pQMYfvFhcM6m7FfZhr3_MLsbX8hVrkl_W6PKJnvE"},
     dns_update_settings{{"192.0.2.1", 53}, "/etc/lacme/tsig.key", std::nullopt}},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(dns_journal)

BOOST_AUTO_TEST_CASE(path_is_beside_the_certificate)
{
    BOOST_TEST(dns_journal_path("/etc/ssl/www.pem") == "/etc/ssl/.www.pem.lacme-dns");
}

BOOST_AUTO_TEST_CASE(records_round_trip_root_only_and_the_journal_goes_when_empty)
{
    temp_dir dir;
    const std::string path = dns_journal_path(dir.file("www.pem"));
    BOOST_TEST(read_dns_journal(path).empty());  // none yet
    write_dns_journal(path, records);
    BOOST_TEST((read_dns_journal(path) == records));
    struct stat st {};
    BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 07777) == 0600u);
    write_dns_journal(path, std::span(records).first(1));
    BOOST_TEST((read_dns_journal(path) == std::vector<dns_journal_entry>{records[0]}));
    write_dns_journal(path, {});
    BOOST_TEST(::access(path.c_str(), F_OK) != 0);
    BOOST_CHECK_NO_THROW(write_dns_journal(path, {}));  // already gone
}

BOOST_AUTO_TEST_CASE(anything_else_is_a_bad_journal)
{
    temp_dir dir;
    const std::string path = dir.file(".www.pem.lacme-dns");
    for (const std::string text :
         {"", "{}", "[1]", "[{\"name\":\"www.example.org\",\"value\":\"x\"}]",
          "[{\"name\":\"_acme-challenge.example.org\",\"value\":\"$(reboot)\"}]",
          "[{\"name\":\"_acme-challenge.example.org\",\"value\":\"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\","
          "\"dns-update-server\":\"ns.example.org\",\"dns-tsig-key\":\"/k\"}]",
          "[{\"name\":\"_acme-challenge.example.org\",\"value\":\"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\","
          "\"dns-update-server\":\"192.0.2.1\",\"dns-tsig-key\":\"k\"}]"}) {
        write_file(path, text);
        BOOST_TEST(error_message([&] { (void)read_dns_journal(path); }).starts_with(path + ": not a dns-01 journal"),
                   text);
    }
}

BOOST_AUTO_TEST_CASE(a_symlink_is_not_followed)
{
    temp_dir dir;
    write_dns_journal(dir.file("elsewhere"), records);
    const std::string path = dir.file(".www.pem.lacme-dns");
    BOOST_REQUIRE(::symlink(dir.file("elsewhere").c_str(), path.c_str()) == 0);
    BOOST_CHECK_THROW((void)read_dns_journal(path), lacme::error);
}

BOOST_AUTO_TEST_SUITE_END()
