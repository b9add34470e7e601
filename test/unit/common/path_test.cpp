// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/path.hpp"

#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using lacme::temp_directory;
using lacme::test::scoped_env;

BOOST_AUTO_TEST_SUITE(path)

BOOST_AUTO_TEST_CASE(temp_directory_is_tmpdir_when_set)
{
    const scoped_env tmpdir("TMPDIR", "/scratch/alice");
    BOOST_TEST(temp_directory() == "/scratch/alice");
}

BOOST_AUTO_TEST_CASE(temp_directory_falls_back_to_tmp_when_unset_or_empty)
{
    {
        const scoped_env tmpdir("TMPDIR", nullptr);
        BOOST_TEST(temp_directory() == "/tmp");
    }
    const scoped_env tmpdir("TMPDIR", "");
    BOOST_TEST(temp_directory() == "/tmp");
}

BOOST_AUTO_TEST_CASE(parent_directory_of_bare_top_level_and_nested_names)
{
    BOOST_TEST(lacme::parent_directory("file") == ".");
    BOOST_TEST(lacme::parent_directory("/file") == "/");
    BOOST_TEST(lacme::parent_directory("/etc/lacme/file") == "/etc/lacme");
}

BOOST_AUTO_TEST_SUITE_END()
