// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/atomic_file.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

using lacme::write_file_atomically;
using lacme::test::error_message;
using lacme::test::file_mode;
using lacme::test::read_file;
using lacme::test::temp_dir;

namespace {

ino_t inode_of(const std::string& path)
{
    struct stat st {};
    BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_ino;
}

// Restores the process umask at scope exit.
struct scoped_umask {
    explicit scoped_umask(mode_t mask) : saved(::umask(mask)) {}
    ~scoped_umask() { ::umask(saved); }
    mode_t saved;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(atomic_file)

BOOST_AUTO_TEST_CASE(creates_a_file_with_contents_and_exact_mode)
{
    temp_dir dir;
    const std::string path = dir.file("service.crt");
    const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    write_file_atomically(path, pem, 0644);
    BOOST_TEST(read_file(path) == pem);
    BOOST_TEST(file_mode(path) == 0644u);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"service.crt"});
}

BOOST_AUTO_TEST_CASE(mode_is_not_reduced_by_the_umask)
{
    const scoped_umask mask(077);
    temp_dir dir;
    const std::string path = dir.file("chain.pem");
    write_file_atomically(path, "x", 0640);
    BOOST_TEST(file_mode(path) == 0640u);
    write_file_atomically(path, "y", 0600);
    BOOST_TEST(file_mode(path) == 0600u);
}

BOOST_AUTO_TEST_CASE(replaces_an_existing_file_by_rename)
{
    temp_dir dir;
    const std::string path = dir.file("service.crt");
    lacme::test::write_file(path, "old contents that are longer than the new ones\n");
    ::chmod(path.c_str(), 0600);
    const ino_t before = inode_of(path);
    write_file_atomically(path, "new\n", 0644);
    BOOST_TEST(read_file(path) == "new\n");
    BOOST_TEST(file_mode(path) == 0644u);
    BOOST_TEST(inode_of(path) != before);  // a new file renamed over, never rewritten in place
    BOOST_TEST(dir.entries() == std::vector<std::string>{"service.crt"});
}

BOOST_AUTO_TEST_CASE(writes_empty_and_binary_contents)
{
    temp_dir dir;
    const std::string path = dir.file("blob");
    write_file_atomically(path, "", 0600);
    BOOST_TEST(read_file(path).empty());
    const std::string binary("\0\xff\r\n\0", 5);
    write_file_atomically(path, binary, 0600);
    BOOST_TEST(read_file(path) == binary);
}

BOOST_AUTO_TEST_CASE(leaves_no_temporary_files_after_many_writes)
{
    temp_dir dir;
    for (int i = 0; i < 20; ++i)
        write_file_atomically(dir.file(i % 2 ? "a" : "b"), std::string(static_cast<std::size_t>(i) * 100, 'z'), 0600);
    BOOST_TEST(dir.entries() == (std::vector<std::string>{"a", "b"}));
    BOOST_TEST(read_file(dir.file("a")).size() == 1900u);
}

BOOST_AUTO_TEST_CASE(missing_directory_fails_cleanly)
{
    temp_dir dir;
    const std::string path = dir.file("missing/service.crt");
    BOOST_TEST(error_message([&] { write_file_atomically(path, "x", 0644); }) ==
               "can't create a temporary file beside " + path + ": No such file or directory");
    BOOST_TEST(dir.entries().empty());
}

BOOST_AUTO_TEST_CASE(failed_rename_removes_the_temporary_file_and_keeps_the_original)
{
    // The target is a non-empty directory: rename(2) fails after the temporary file is written.
    temp_dir dir;
    const std::string path = dir.file("target");
    ::mkdir(path.c_str(), 0755);
    lacme::test::write_file(path + "/keep", "original");
    const std::string message = error_message([&] { write_file_atomically(path, "new", 0644); });
    BOOST_TEST(message.starts_with("rename " + dir.file(".target.lacme-tmp.")), message);
    BOOST_TEST(message.find(" to " + path + ": ") != std::string::npos, message);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"target"});
    BOOST_TEST(read_file(path + "/keep") == "original");
}

BOOST_AUTO_TEST_CASE(owner_is_set_on_the_new_file)
{
    if (::geteuid() != 0)
        return;  // only root can give a file away
    temp_dir dir;
    const std::string path = dir.file("owned.pem");
    write_file_atomically(path, "x", 0640, lacme::file_owner{65534, 65534});
    struct stat st {};
    BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
    BOOST_TEST(st.st_uid == 65534u);
    BOOST_TEST(st.st_gid == 65534u);
    BOOST_TEST(file_mode(path) == 0640u);
    write_file_atomically(path, "y", 0644, lacme::file_owner{1, static_cast<gid_t>(-1)});
    BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
    BOOST_TEST(st.st_uid == 1u);
    BOOST_TEST(st.st_gid == ::getegid());
}

BOOST_AUTO_TEST_CASE(set_id_bits_survive_the_chown)
{
    temp_dir dir;
    const std::string path = dir.file("f");
    write_file_atomically(path, "x", 02750, lacme::file_owner{::geteuid(), ::getegid()});
    BOOST_TEST(file_mode(path) == 02750u);
}

BOOST_AUTO_TEST_CASE(abandoned_temporaries_of_the_target_are_removed_and_others_kept)
{
    temp_dir dir;
    const std::string path = dir.file("www.pem");
    lacme::test::write_file(dir.file(".www.pem.lacme-tmp.AbC123"), "left by a killed writer");
    lacme::test::write_file(dir.file(".www.pem.lacme-tmp.LiveW1"), "being written");
    lacme::test::write_file(dir.file(".other.pem.lacme-tmp.AbC123"), "another target's");
    lacme::test::write_file(dir.file("www.pem.backup"), "the admin's");
    // A live writer holds its temporary file locked.
    const int live = ::open(dir.file(".www.pem.lacme-tmp.LiveW1").c_str(), O_RDONLY | O_CLOEXEC);
    BOOST_REQUIRE(live >= 0);
    BOOST_REQUIRE(::flock(live, LOCK_EX) == 0);
    write_file_atomically(path, "new", 0644);
    ::close(live);
    BOOST_TEST(dir.entries() == (std::vector<std::string>{".other.pem.lacme-tmp.AbC123", ".www.pem.lacme-tmp.LiveW1",
                                                          "www.pem", "www.pem.backup"}));
    write_file_atomically(path, "newer", 0644);
    BOOST_TEST(dir.entries() == (std::vector<std::string>{".other.pem.lacme-tmp.AbC123", "www.pem", "www.pem.backup"}));
}

BOOST_AUTO_TEST_CASE(relative_path_in_the_current_directory)
{
    temp_dir dir;
    const std::string saved = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    write_file_atomically("plain", "x", 0600);
    std::filesystem::current_path(saved);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"plain"});
}

BOOST_AUTO_TEST_CASE(staged_file_replaces_the_target_only_on_commit)
{
    temp_dir dir;
    const std::string path = dir.file("www.pem");
    lacme::test::write_file(path, "old");
    {
        lacme::staged_file staged(path, "abandoned", 0644, std::nullopt);
        BOOST_TEST(dir.entries().size() == 2u);  // the target and the staged temporary file
        BOOST_TEST(read_file(path) == "old");
    }
    BOOST_TEST(dir.entries() == std::vector<std::string>{"www.pem"});
    BOOST_TEST(read_file(path) == "old");
    lacme::staged_file staged(path, "new", 0600, std::nullopt);
    staged.commit();
    BOOST_TEST(read_file(path) == "new");
    BOOST_TEST(file_mode(path) == 0600u);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"www.pem"});
}

BOOST_AUTO_TEST_SUITE_END()
