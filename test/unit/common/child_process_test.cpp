#include "common/child_process.hpp"

#include "common/unique_fd.hpp"
#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>

using lacme::run_capturing_stdout;
using lacme::test::error_message;

BOOST_AUTO_TEST_SUITE(child_process)

BOOST_AUTO_TEST_CASE(returns_what_the_program_writes_on_stdout)
{
    BOOST_TEST(run_capturing_stdout({"echo", "hello", "world"}, 1024) == "hello world\n");
    BOOST_TEST(run_capturing_stdout({"printf", "a\\0b"}, 1024) == std::string("a\0b", 3));
    BOOST_TEST(run_capturing_stdout({"true"}, 1024).empty());
}

BOOST_AUTO_TEST_CASE(arguments_are_passed_verbatim_without_a_shell)
{
    BOOST_TEST(run_capturing_stdout({"printf", "%s|", "two words", "$HOME", "*"}, 1024) == "two words|$HOME|*|");
}

BOOST_AUTO_TEST_CASE(large_output_is_read_completely)
{
    const std::string out = run_capturing_stdout({"head", "-c", "200000", "/dev/zero"}, 200000);
    BOOST_TEST(out.size() == 200000u);
    BOOST_TEST(out == std::string(200000, '\0'));
}

BOOST_AUTO_TEST_CASE(output_over_the_limit_is_an_error)
{
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({"head", "-c", "100000", "/dev/zero"}, 100); }) ==
               "the output of head is larger than 100 bytes");
}

BOOST_AUTO_TEST_CASE(non_zero_exit_is_an_error_naming_the_program)
{
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({"sh", "-c", "echo partial; exit 3"}, 1024); }) ==
               "sh exited with value 3");
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({"false"}, 1024); }) == "false exited with value 1");
}

BOOST_AUTO_TEST_CASE(death_by_signal_is_an_error)
{
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({"sh", "-c", "kill -TERM $$"}, 1024); }) ==
               "sh was killed by signal 15");
}

BOOST_AUTO_TEST_CASE(missing_program_is_an_error)
{
    // The child reports "exec failed" on the stderr it inherits: keep the test log clean.
    const lacme::unique_fd saved_stderr(::dup(STDERR_FILENO));
    {
        const lacme::unique_fd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
        ::dup2(null.get(), STDERR_FILENO);
    }
    struct restore {
        int fd;
        ~restore() { ::dup2(fd, STDERR_FILENO); }
    } restore_stderr{saved_stderr.get()};
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({"/nonexistent/lacme-no-such-program"}, 1024); }) ==
               "/nonexistent/lacme-no-such-program exited with value 127");
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({"lacme-no-such-program-in-path"}, 1024); }) ==
               "lacme-no-such-program-in-path exited with value 127");
}

BOOST_AUTO_TEST_CASE(empty_command_is_an_error)
{
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({}, 1024); }) == "empty command");
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({""}, 1024); }) == "empty command");
}

BOOST_AUTO_TEST_CASE(child_inherits_no_descriptor_beyond_stderr)
{
    // An fd without O_CLOEXEC would leak into the child unless it is closed explicitly.
    const lacme::unique_fd leaky(::open("/dev/null", O_RDONLY));
    BOOST_REQUIRE(leaky.valid());
    BOOST_REQUIRE(leaky.get() > 2);
    const std::string fd = std::to_string(leaky.get());
    BOOST_TEST(run_capturing_stdout({"sh", "-c", "if [ -e /proc/self/fd/" + fd + " ]; then echo open; else echo closed; fi"},
                                    1024) == "closed\n");
}

BOOST_AUTO_TEST_SUITE_END()
