// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/iptables.hpp"

#include "common/error.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace lacme::master;

namespace {

// Stand-ins for iptables/ip6tables that log their arguments; `fail_on` makes one call fail.
void fake_iptables(const lacme::test::temp_dir& dir, const std::string& fail_on = "")
{
    for (const char* name : {"iptables", "ip6tables"}) {
        const std::string path = dir.file(name);
        lacme::test::write_file(path, "#!/bin/sh\necho \"" + std::string(name) + " $*\" >>" + dir.file("calls") +
                                          "\ncase \"$*\" in *'" + (fail_on.empty() ? "@@" : fail_on) +
                                          "'*) exit 1;; esac\n");
        ::chmod(path.c_str(), 0755);
    }
}

std::string calls(const lacme::test::temp_dir& dir)
{
    std::ifstream in(dir.file("calls"));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(master_iptables)

BOOST_AUTO_TEST_CASE(inserted_rules_are_exactly_the_removed_ones)
{
    const lacme::test::temp_dir dir;
    fake_iptables(dir);
    lacme::logger log(lacme::log_level::info);
    {
        const iptables_rules rules({parse_listen_address("127.0.0.1:80"), parse_listen_address("[::]:8080"),
                                    parse_listen_address("/run/x.sock")},
                                   log, dir.file("run"), dir.path());
    }
    const std::string expected =
        "iptables -w -I INPUT -p tcp -m tcp -m state -d 127.0.0.1/32 --dport 80 --state NEW,ESTABLISHED -j ACCEPT\n"
        "iptables -w -I OUTPUT -p tcp -m tcp -m state -s 127.0.0.1/32 --sport 80 --state ESTABLISHED -j ACCEPT\n"
        "ip6tables -w -I INPUT -p tcp -m tcp -m state -d ::/0 --dport 8080 --state NEW,ESTABLISHED -j ACCEPT\n"
        "ip6tables -w -I OUTPUT -p tcp -m tcp -m state -s ::/0 --sport 8080 --state ESTABLISHED -j ACCEPT\n"
        "ip6tables -w -D OUTPUT -p tcp -m tcp -m state -s ::/0 --sport 8080 --state ESTABLISHED -j ACCEPT\n"
        "ip6tables -w -D INPUT -p tcp -m tcp -m state -d ::/0 --dport 8080 --state NEW,ESTABLISHED -j ACCEPT\n"
        "iptables -w -D OUTPUT -p tcp -m tcp -m state -s 127.0.0.1/32 --sport 80 --state ESTABLISHED -j ACCEPT\n"
        "iptables -w -D INPUT -p tcp -m tcp -m state -d 127.0.0.1/32 --dport 80 --state NEW,ESTABLISHED -j ACCEPT\n";
    BOOST_TEST(calls(dir) == expected);
    BOOST_TEST(!std::filesystem::exists(dir.file("run/iptables.rules")));
}

// A SIGKILLed run cannot remove its rules: the next one removes them from its state file first.
BOOST_AUTO_TEST_CASE(rules_left_by_a_killed_run_are_removed_by_the_next)
{
    const lacme::test::temp_dir dir;
    fake_iptables(dir);
    lacme::logger log(lacme::log_level::info);
    const pid_t pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        const iptables_rules rules({parse_listen_address("127.0.0.1:80")}, log, dir.file("run"), dir.path());
        ::_exit(0);  // no destructor runs, as under SIGKILL
    }
    int status = 0;
    BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_REQUIRE(std::filesystem::exists(dir.file("run/iptables.rules")));
    ::unlink(dir.file("calls").c_str());
    {
        const iptables_rules rules({parse_listen_address("[::1]:80")}, log, dir.file("run"), dir.path());
    }
    const std::string c = calls(dir);
    const std::string stale_output = "iptables -w -D OUTPUT -p tcp -m tcp -m state -s 127.0.0.1/32 --sport 80";
    const std::string stale_input = "iptables -w -D INPUT -p tcp -m tcp -m state -d 127.0.0.1/32 --dport 80";
    BOOST_TEST(c.find(stale_output) == 0U, c);
    BOOST_TEST(c.find(stale_input) < c.find("ip6tables -w -I INPUT"), c);
    BOOST_TEST(!std::filesystem::exists(dir.file("run/iptables.rules")));
}

BOOST_AUTO_TEST_CASE(one_run_at_a_time_manages_the_rules)
{
    const lacme::test::temp_dir dir;
    fake_iptables(dir);
    lacme::logger log(lacme::log_level::info);
    const iptables_rules first({parse_listen_address("127.0.0.1:80")}, log, dir.file("run"), dir.path());
    BOOST_CHECK_THROW(iptables_rules({parse_listen_address("127.0.0.1:81")}, log, dir.file("run"), dir.path()),
                      lacme::error);
    BOOST_TEST(calls(dir).find(":81") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failed_insert_removes_what_was_inserted)
{
    const lacme::test::temp_dir dir;
    fake_iptables(dir, "-I OUTPUT");
    lacme::logger log(lacme::log_level::info);
    BOOST_CHECK_THROW(iptables_rules({parse_listen_address("127.0.0.1:80")}, log, dir.file("run"), dir.path()),
                      lacme::error);
    const std::string c = calls(dir);
    BOOST_TEST(c.find("-D INPUT") != std::string::npos);
    BOOST_TEST(c.find("-D OUTPUT") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
