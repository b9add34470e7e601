#include "common/atomic_file.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

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
    BOOST_TEST(message.starts_with("rename " + path + "."), message);
    BOOST_TEST(message.find(" to " + path + ": ") != std::string::npos, message);
    BOOST_TEST(dir.entries() == std::vector<std::string>{"target"});
    BOOST_TEST(read_file(path + "/keep") == "original");
}

BOOST_AUTO_TEST_SUITE_END()
