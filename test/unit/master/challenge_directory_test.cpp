// SPDX-License-Identifier: GPL-3.0-or-later
// Challenge directories: emptied and removed only through the fds held since they were made or
// checked (a directory renamed away and replaced by a symlink is never followed), made in root's
// private directory, and left behind by a killed run only until the next run.
#include "master/challenge_directory.hpp"
#include "master/directory_cleanup.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

using lacme::unique_fd;
using lacme::master::challenge_directory;
using lacme::master::empty_directory_at;
using lacme::master::remove_abandoned_challenge_directories;
using lacme::master::remove_directory_at;
using lacme::test::error_message;
using lacme::test::file_mode;
using lacme::test::scoped_env;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

unique_fd open_dir(const std::string& path)
{
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    BOOST_REQUIRE(fd.valid());
    return fd;
}

// The attack: the directory renamed away, a symlink to a directory of files in its place.
void swap_for_symlink(const std::string& dir, const std::string& target)
{
    std::filesystem::rename(dir, dir + ".away");
    std::filesystem::create_directory_symlink(target, dir);
}

// A directory of files the attacker wants root to empty.
std::string victim_with_precious_file(const temp_dir& tmp)
{
    const std::string victim = tmp.file("victim");
    std::filesystem::create_directory(victim);
    write_file(victim + "/precious", "x");
    return victim;
}

constexpr uid_t nobody = 65534;

}  // namespace

BOOST_AUTO_TEST_SUITE(directory_cleanup)

BOOST_AUTO_TEST_CASE(empties_the_held_directory_not_a_symlink_planted_in_its_place)
{
    const temp_dir tmp;
    const std::string dir = tmp.file("challenge"), victim = victim_with_precious_file(tmp);
    std::filesystem::create_directory(dir);
    const unique_fd held = open_dir(dir);
    write_file(dir + "/token", "t");
    swap_for_symlink(dir, victim);

    BOOST_TEST(empty_directory_at(held.get()));
    BOOST_TEST(std::filesystem::exists(victim + "/precious"));
    BOOST_TEST(std::filesystem::is_empty(dir + ".away"));
}

BOOST_AUTO_TEST_CASE(removes_the_entry_only_while_it_is_the_held_directory)
{
    const temp_dir tmp;
    const std::string dir = tmp.file("challenge"), victim = victim_with_precious_file(tmp);
    std::filesystem::create_directory(dir);
    const unique_fd parent = open_dir(tmp.path());
    const unique_fd held = open_dir(dir);
    swap_for_symlink(dir, victim);

    BOOST_TEST(!remove_directory_at(parent.get(), "challenge", held.get()));
    BOOST_TEST(std::filesystem::is_symlink(dir));
    BOOST_TEST(std::filesystem::exists(victim + "/precious"));

    const unique_fd fresh = open_dir(victim);
    BOOST_TEST(remove_directory_at(parent.get(), "victim", fresh.get()));
    BOOST_TEST(!std::filesystem::exists(victim));
}

BOOST_AUTO_TEST_CASE(keeps_the_last_entry_for_last_and_skips_another_owners_subdirectory)
{
    const temp_dir tmp;
    const std::string dir = tmp.file("challenge");
    std::filesystem::create_directory(dir);
    write_file(dir + "/.lacme.lock", "1");
    std::filesystem::create_directories(dir + "/own/nested");
    write_file(dir + "/own/nested/file", "x");
    std::filesystem::create_directory(dir + "/renamed-in");
    write_file(dir + "/renamed-in/precious", "x");
    BOOST_REQUIRE(::chown((dir + "/renamed-in").c_str(), nobody, nobody) == 0);
    const unique_fd held = open_dir(dir);

    BOOST_TEST(!empty_directory_at(held.get(), ".lacme.lock"));
    BOOST_TEST(!std::filesystem::exists(dir + "/.lacme.lock"));
    BOOST_TEST(!std::filesystem::exists(dir + "/own"));
    BOOST_TEST(std::filesystem::exists(dir + "/renamed-in/precious"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(challenge_directories)

BOOST_AUTO_TEST_CASE(fresh_ones_live_in_a_private_0711_directory_and_go_at_the_end)
{
    const temp_dir tmp;
    const std::string base = tmp.file("run");
    const scoped_env runtime("RUNTIME_DIRECTORY", base.c_str());
    std::string path;
    {
        const auto dir = challenge_directory::fresh("nobody");
        path = dir.path();
        BOOST_TEST(path.starts_with(base + "/acme-challenge."));
        BOOST_TEST(file_mode(base) == 0711U);
        BOOST_TEST(file_mode(path) == 0755U);
        struct stat st {};
        BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
        BOOST_TEST(st.st_uid == nobody);
        write_file(path + "/token", "t");
    }
    BOOST_TEST(!std::filesystem::exists(path));
}

BOOST_AUTO_TEST_CASE(a_private_base_others_can_write_is_refused_one_not_traversable_is_opened_up)
{
    const temp_dir tmp;
    const std::string base = tmp.file("run");
    std::filesystem::create_directory(base);
    BOOST_REQUIRE(::chmod(base.c_str(), 0777) == 0);
    BOOST_TEST(error_message([&] { lacme::master::open_root_private_directory(base); }) ==
               base + " must be root's and not writable by group or others");
    BOOST_REQUIRE(::chmod(base.c_str(), 0700) == 0);
    BOOST_TEST(lacme::master::open_root_private_directory(base).valid());
    BOOST_TEST(file_mode(base) == 0711U);
}

BOOST_AUTO_TEST_CASE(abandoned_ones_are_removed_locked_and_foreign_ones_kept)
{
    const temp_dir tmp;
    for (const char* name : {"acme-challenge.dead", "acme-challenge.live", "acme-challenge.other", "unrelated"}) {
        std::filesystem::create_directory(tmp.file(name));
        write_file(tmp.file(name) + "/token", "t");
        BOOST_REQUIRE(::chown(tmp.file(name).c_str(), std::string(name) == "acme-challenge.other" ? 0 : nobody, 0) ==
                      0);
    }
    const unique_fd live = open_dir(tmp.file("acme-challenge.live"));
    BOOST_REQUIRE(::flock(live.get(), LOCK_EX) == 0);
    const unique_fd base = open_dir(tmp.path());

    BOOST_TEST(remove_abandoned_challenge_directories(base.get(), nobody) == 1);
    BOOST_TEST(!std::filesystem::exists(tmp.file("acme-challenge.dead")));
    BOOST_TEST(std::filesystem::exists(tmp.file("acme-challenge.live/token")));
    BOOST_TEST(std::filesystem::exists(tmp.file("acme-challenge.other/token")));
    BOOST_TEST(std::filesystem::exists(tmp.file("unrelated/token")));
}

BOOST_AUTO_TEST_CASE(an_existing_one_is_emptied_through_its_fd_even_when_swapped)
{
    const temp_dir tmp;
    const std::string dir = tmp.file("www/acme-challenge"), victim = victim_with_precious_file(tmp);
    std::filesystem::create_directories(dir);
    {
        const auto challenge = challenge_directory::existing(dir, "");
        BOOST_TEST(std::filesystem::exists(dir + "/.lacme.lock"));
        write_file(dir + "/token", "t");
        swap_for_symlink(dir, victim);
    }
    BOOST_TEST(std::filesystem::exists(victim + "/precious"));
    BOOST_TEST(std::filesystem::is_empty(dir + ".away"));
}

BOOST_AUTO_TEST_CASE(an_existing_one_whose_parent_others_can_write_is_refused)
{
    const temp_dir tmp;
    const std::string dir = tmp.file("www/acme-challenge");
    std::filesystem::create_directories(dir);
    // Sticky, as /tmp: others cannot rename root's entry away.
    BOOST_REQUIRE(::chmod(tmp.file("www").c_str(), 01777) == 0);
    BOOST_TEST(error_message([&] { challenge_directory::existing(dir, ""); }) == "<no exception>");

    BOOST_REQUIRE(::chmod(tmp.file("www").c_str(), 0775) == 0);
    BOOST_REQUIRE(::chown(tmp.file("www").c_str(), 0, nobody) == 0);
    BOOST_TEST(error_message([&] {
                   challenge_directory::existing(dir, "");
               }).find("is writable by a user other than root and the webserver user") != std::string::npos);
    BOOST_TEST(std::filesystem::is_empty(dir));

    BOOST_REQUIRE(::chmod(tmp.file("www").c_str(), 0755) == 0);
    BOOST_REQUIRE(::chown(tmp.file("www").c_str(), nobody, 0) == 0);
    BOOST_TEST(error_message([&] { challenge_directory::existing(dir, "nobody"); }) == "<no exception>");
}

// The path's components are opened one by one with O_NOFOLLOW: a component another user can
// swap for a symbolic link (here: in a directory nobody owns) is refused, not followed to an
// empty directory of root's chosen by that user, where root would create its lock file.
BOOST_AUTO_TEST_CASE(an_existing_one_reached_through_a_foreign_symlink_is_refused)
{
    const temp_dir tmp;
    const std::string target = tmp.file("root/acme-challenge");
    std::filesystem::create_directories(target);
    std::filesystem::create_directories(tmp.file("www"));
    BOOST_REQUIRE(::chown(tmp.file("www").c_str(), nobody, nobody) == 0);
    // What nobody does in its own directory: "site" becomes a symlink to root's directory.
    std::filesystem::create_directory_symlink(tmp.file("root"), tmp.file("www/site"));
    BOOST_REQUIRE(::lchown(tmp.file("www/site").c_str(), nobody, nobody) == 0);

    BOOST_TEST(error_message([&] {
                   challenge_directory::existing(tmp.file("www/site/acme-challenge"), "");
               }).find("its component site is a symbolic link in a directory a user other than root") !=
               std::string::npos);
    BOOST_TEST(std::filesystem::is_empty(target));
    // The last component too.
    std::filesystem::create_directory_symlink(target, tmp.file("www/last"));
    BOOST_TEST(error_message([&] {
                   challenge_directory::existing(tmp.file("www/last"), "");
               }).find("its component last is a symbolic link") != std::string::npos);
    BOOST_TEST(std::filesystem::is_empty(target));
}

// A link only root could have made (as /var/run -> /run) is followed; the directory reached is
// still checked like any other.
BOOST_AUTO_TEST_CASE(an_existing_one_reached_through_roots_symlinks_is_used)
{
    const temp_dir tmp;
    const std::string target = tmp.file("srv/www/acme-challenge");
    std::filesystem::create_directories(target);
    std::filesystem::create_directory_symlink("srv/www", tmp.file("relative"));
    std::filesystem::create_directory_symlink(tmp.file("srv"), tmp.file("absolute"));
    for (const std::string& via : {tmp.file("relative/acme-challenge"), tmp.file("absolute/www/acme-challenge")}) {
        BOOST_TEST(error_message([&] {
                       const auto challenge = challenge_directory::existing(via, "");
                       BOOST_TEST(std::filesystem::exists(target + "/.lacme.lock"));
                   }) == "<no exception>",
                   via);
        BOOST_TEST(std::filesystem::is_empty(target), via);
    }
    std::filesystem::create_directory_symlink("loop", tmp.file("loop"));
    BOOST_TEST(error_message([&] {
                   challenge_directory::existing(tmp.file("loop"), "");
               }).find("too many symbolic links") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
