// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/target_space.hpp"

#include "master/section_check.hpp"
#include "test_pki.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/mount.h>
#include <sys/stat.h>

#include <algorithm>

using lacme::master::available_bytes;
using lacme::master::expected_install_size;
using lacme::master::space_shortage;
using lacme::test::temp_dir;

BOOST_AUTO_TEST_SUITE(target_space)

BOOST_AUTO_TEST_CASE(the_expected_size_is_three_times_the_current_file_and_at_least_64_KiB)
{
    BOOST_TEST(expected_install_size(std::nullopt) == 65536U);
    BOOST_TEST(expected_install_size(4000) == 65536U);
    BOOST_TEST(expected_install_size(100000) == 300000U);
    BOOST_TEST(expected_install_size(UINT64_MAX / 2) == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(root_may_use_the_reserved_blocks_others_may_not)
{
    struct statvfs fs {};
    fs.f_frsize = 4096;
    fs.f_bfree = 10;
    fs.f_bavail = 4;
    BOOST_TEST(available_bytes(fs, true) == 40960U);
    BOOST_TEST(available_bytes(fs, false) == 16384U);
    fs.f_frsize = 0;
    BOOST_TEST(available_bytes(fs, true) == 0U);
}

BOOST_AUTO_TEST_CASE(a_shortage_names_the_directory_and_both_sizes)
{
    BOOST_TEST(!space_shortage("/etc/ssl", 65536, 65536));
    BOOST_TEST(space_shortage("/etc/ssl", 4096, 65536).value() ==
               "not enough free space in /etc/ssl: 4096 bytes available, about 65536 needed");
}

BOOST_AUTO_TEST_CASE(a_full_target_directory_is_an_installation_problem)
{
    BOOST_REQUIRE_MESSAGE(::geteuid() == 0, "mounting a small tmpfs needs root");
    temp_dir dir;
    const std::string small = dir.file("small");
    ::mkdir(small.c_str(), 0755);
    BOOST_REQUIRE(::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=16k") == 0);
    auto s = lacme::test::section_in(dir, lacme::test::shared_p256());
    s.certificate_chain = small + "/www.chain.pem";
    const auto problems = lacme::master::installation_problems(s);
    ::umount2(small.c_str(), MNT_DETACH);
    const std::string expected = "not enough free space in " + small + ": 16384 bytes available, about 65536 needed";
    BOOST_TEST((problems == std::vector<std::string>{expected}));
    BOOST_TEST(lacme::master::installation_problems(s).empty());  // unmounted: the temp dir's own filesystem
}

BOOST_AUTO_TEST_SUITE_END()
