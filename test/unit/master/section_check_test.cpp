// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/section_check.hpp"

#include "test_pki.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/mount.h>
#include <sys/stat.h>

using lacme::master::certificate_section;
using lacme::master::check_section;
using lacme::test::shared_ca;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

certificate_section good_section(const temp_dir& dir)
{
    return lacme::test::section_in(dir, lacme::test::shared_p256());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(section_check)

BOOST_AUTO_TEST_CASE(a_good_section_has_no_problem)
{
    temp_dir dir;
    auto s = good_section(dir);
    s.chown = lacme::master::owner_spec{"root", "root"};
    BOOST_TEST(check_section(s).empty());
    write_file(s.certificate_chain,
               shared_ca().chain_pem(*shared_ca().issue(lacme::test::shared_p256(), "www.example.org")));
    BOOST_TEST(check_section(s).empty());
}

BOOST_AUTO_TEST_CASE(configuration_errors_are_reported_alone)
{
    temp_dir dir;
    auto s = good_section(dir);
    s.errors = {"c.conf:4: chmod: not an octal mode: '9'"};
    s.certificate_key = dir.file("missing.key");
    BOOST_TEST(check_section(s) == s.errors);
}

BOOST_AUTO_TEST_CASE(every_problem_one_line_each)
{
    temp_dir dir;
    auto s = good_section(dir);
    s.certificate_key = dir.file("missing.key");
    s.ca_file = dir.file("missing-ca.pem");
    s.certificate = dir.file("no-dir/www.crt");
    write_file(dir.file("file"), "");
    s.certificate_chain = dir.file("file/chain.pem");
    s.chown = lacme::master::owner_spec{"no-such-user-x", "no-such-group-x"};
    const auto problems = check_section(s);
    BOOST_REQUIRE_EQUAL(problems.size(), 5u);
    BOOST_TEST(problems[0] == "can't open " + s.certificate_key + ": No such file or directory");
    BOOST_TEST(problems[1].starts_with("CAfile " + s.ca_file + ": can't load trusted certificates"));
    BOOST_TEST(problems[2] == "target directory " + dir.file("no-dir") + ": No such file or directory");
    BOOST_TEST(problems[3] == "target directory " + dir.file("file") + ": not a directory");
    BOOST_TEST(problems[4] == "chown: unknown user no-such-user-x");
    s.chown->user = "root";
    BOOST_TEST(check_section(s).back() == "chown: unknown group no-such-group-x");
    for (const auto& p : problems)
        BOOST_TEST(p.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(request_problems_and_foreign_installed_certificate)
{
    temp_dir dir;
    auto s = good_section(dir);
    s.subject = "/C=France/CN=www.example.org";
    BOOST_TEST(check_section(s).at(0).starts_with("subject: invalid value for C"));
    s = good_section(dir);
    write_file(s.certificate_chain, lacme::pem_of(*shared_ca().issue(lacme::test::shared_p384(), "www.example.org")));
    BOOST_TEST(check_section(s) ==
               std::vector<std::string>{s.certificate_chain + " is not a certificate for " + s.certificate_key});
}

BOOST_AUTO_TEST_CASE(read_only_target_directory)
{
    temp_dir dir;
    const std::string ro = dir.file("ro");
    ::mkdir(ro.c_str(), 0755);
    if (::geteuid() != 0 || ::mount("tmpfs", ro.c_str(), "tmpfs", MS_RDONLY, "size=16k") != 0) {
        BOOST_TEST_MESSAGE("skipped: mounting a read-only tmpfs needs root");
        return;
    }
    auto s = good_section(dir);
    s.certificate = ro + "/www.crt";
    const auto problems = check_section(s);
    ::umount2(ro.c_str(), MNT_DETACH);
    BOOST_TEST(problems ==
               std::vector<std::string>{"target directory " + ro + " is not writable: Read-only file system"});
}

BOOST_AUTO_TEST_SUITE_END()
