// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/challenge_file.hpp"

#include "test/unit/webserver/challenge_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

using lacme::web::challenge_file;
using lacme::web::read_challenge_file;
using status = challenge_file::status;

using lacme::test::challenge_dir;

BOOST_AUTO_TEST_SUITE(challenge_file_suite)

BOOST_AUTO_TEST_CASE(reads_regular_file)
{
    challenge_dir d;
    d.write("tok", "tok.thumbprint");
    const auto f = read_challenge_file(d.fd.get(), "tok");
    BOOST_TEST((f.st == status::found));
    BOOST_TEST(f.content == "tok.thumbprint");
    d.write("empty", "");
    BOOST_TEST((read_challenge_file(d.fd.get(), "empty").st == status::found));
}

BOOST_AUTO_TEST_CASE(missing_is_not_found)
{
    challenge_dir d;
    BOOST_TEST((read_challenge_file(d.fd.get(), "nope").st == status::not_found));
}

BOOST_AUTO_TEST_CASE(symlinks_fifos_directories_and_big_files_are_refused)
{
    challenge_dir d;
    std::filesystem::create_symlink("/etc/passwd", d.path() / "link");
    auto f = read_challenge_file(d.fd.get(), "link");
    BOOST_TEST((f.st == status::refused));
    BOOST_TEST(f.content.empty());
    std::filesystem::create_symlink("missing-target", d.path() / "dangling");
    BOOST_TEST((read_challenge_file(d.fd.get(), "dangling").st == status::refused));

    BOOST_REQUIRE(::mkfifo((d.path() / "fifo").c_str(), 0600) == 0);
    BOOST_TEST((read_challenge_file(d.fd.get(), "fifo").st == status::refused));  // and does not hang

    std::filesystem::create_directory(d.path() / "dir");
    BOOST_TEST((read_challenge_file(d.fd.get(), "dir").st == status::refused));

    d.write("big", std::string(2000, 'x'));
    BOOST_TEST((read_challenge_file(d.fd.get(), "big", 1999).st == status::refused));
    BOOST_TEST((read_challenge_file(d.fd.get(), "big", 2000).st == status::found));
}

BOOST_AUTO_TEST_CASE(invalid_tokens_never_reach_the_filesystem)
{
    challenge_dir d;
    std::filesystem::create_directory(d.path() / "sub");
    d.write("sub/x", "secret");
    for (const char* t : {"sub/x", "..", ".", "", "../x"}) {
        BOOST_TEST_INFO(t);
        BOOST_TEST((read_challenge_file(d.fd.get(), t).st == status::refused));
    }
}

BOOST_AUTO_TEST_SUITE_END()
