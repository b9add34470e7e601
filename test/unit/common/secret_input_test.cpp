#include "common/secret_input.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using lacme::read_secret_file;
using lacme::test::error_message;
using lacme::test::temp_dir;
using lacme::test::write_file;

BOOST_AUTO_TEST_SUITE(secret_input)

BOOST_AUTO_TEST_CASE(reads_first_line_without_line_end)
{
    temp_dir dir;
    const std::string path = dir.file("passphrase");
    write_file(path, "correct horse\r\n");
    BOOST_TEST(read_secret_file(path).reveal() == "correct horse");
    write_file(path, "battery staple\n");
    BOOST_TEST(read_secret_file(path).reveal() == "battery staple");
    write_file(path, "no newline");
    BOOST_TEST(read_secret_file(path).reveal() == "no newline");
    write_file(path, "first\nsecond\n");
    BOOST_TEST(read_secret_file(path).reveal() == "first");
}

BOOST_AUTO_TEST_CASE(keeps_inner_blanks_and_strips_only_one_cr)
{
    temp_dir dir;
    const std::string path = dir.file("pin");
    write_file(path, "  12 34  \r\n");
    BOOST_TEST(read_secret_file(path).reveal() == "  12 34  ");
    write_file(path, "ab\r\r\n");
    BOOST_TEST(read_secret_file(path).reveal() == "ab\r");
}

BOOST_AUTO_TEST_CASE(empty_file_gives_an_empty_secret)
{
    temp_dir dir;
    const std::string path = dir.file("empty");
    write_file(path, "");
    BOOST_TEST(read_secret_file(path).empty());
    write_file(path, "\r\n");
    BOOST_TEST(read_secret_file(path).empty());
}

BOOST_AUTO_TEST_CASE(missing_file_is_an_error_naming_it)
{
    temp_dir dir;
    const std::string path = dir.file("absent");
    BOOST_TEST(error_message([&] { (void)read_secret_file(path); }) == "can't open " + path + ": No such file or directory");
}

BOOST_AUTO_TEST_CASE(overlong_line_is_refused_without_quoting_it)
{
    temp_dir dir;
    const std::string path = dir.file("long");
    write_file(path, std::string(5000, 'S') + "\n");
    const std::string message = error_message([&] { (void)read_secret_file(path); });
    BOOST_TEST(message == path + ": line too long");
    BOOST_TEST(message.find("SSSS") == std::string::npos);
    write_file(path, std::string(4095, 'S') + "\n");  // the longest accepted line
    BOOST_TEST(read_secret_file(path).reveal().size() == 4095u);
}

BOOST_AUTO_TEST_CASE(secret_string_moves_and_wipes)
{
    lacme::secret_string a(std::string("s3cret"));
    lacme::secret_string b(std::move(a));
    BOOST_TEST(b.reveal() == "s3cret");
    BOOST_TEST(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
    b.wipe();
    BOOST_TEST(b.empty());
}

BOOST_AUTO_TEST_SUITE_END()
