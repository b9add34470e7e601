// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/child_process.hpp"

#include "common/fd_io.hpp"
#include "common/fd_pair.hpp"
#include "common/unique_fd.hpp"
#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

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
    BOOST_TEST(error_message([] {
                   (void)run_capturing_stdout({"head", "-c", "100000", "/dev/zero"}, 100);
               }) == "the output of head is larger than 100 bytes");
}

BOOST_AUTO_TEST_CASE(non_zero_exit_is_an_error_naming_the_program)
{
    BOOST_TEST(error_message([] {
                   (void)run_capturing_stdout({"sh", "-c", "echo partial; exit 3"}, 1024);
               }) == "sh exited with value 3");
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({"false"}, 1024); }) == "false exited with value 1");
}

BOOST_AUTO_TEST_CASE(death_by_signal_is_an_error)
{
    BOOST_TEST(error_message([] {
                   (void)run_capturing_stdout({"sh", "-c", "kill -TERM $$"}, 1024);
               }) == "sh was killed by signal 15");
}

BOOST_AUTO_TEST_CASE(missing_program_is_an_error)
{
    BOOST_TEST(
        error_message([] { (void)run_capturing_stdout({"/nonexistent/lacme-no-such-program"}, 1024); }) ==
        "/nonexistent/lacme-no-such-program: exec /nonexistent/lacme-no-such-program: No such file or directory");
    BOOST_TEST(error_message([] { (void)run_capturing_stdout({"lacme-no-such-program-in-path"}, 1024); }) ==
               "lacme-no-such-program-in-path: command not found");
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
    BOOST_TEST(
        run_capturing_stdout({"sh", "-c", "if [ -e /proc/self/fd/" + fd + " ]; then echo open; else echo closed; fi"},
                             1024) == "closed\n");
}

BOOST_AUTO_TEST_CASE(helper_programs_keep_the_callers_environment_and_directory)
{
    // gpg finds its agent through the environment and its key file relative to the directory.
    ::setenv("LACME_CHILD_TEST", "kept", 1);
    BOOST_TEST(run_capturing_stdout({"sh", "-c", "printf %s \"$LACME_CHILD_TEST\""}, 1024) == "kept");
    ::unsetenv("LACME_CHILD_TEST");
    char cwd[4096];
    BOOST_REQUIRE(::getcwd(cwd, sizeof cwd) != nullptr);
    BOOST_TEST(run_capturing_stdout({"pwd"}, 4096) == std::string(cwd) + "\n");
}

BOOST_AUTO_TEST_SUITE_END()

// spawn_child: what a component started by the master gets.
BOOST_AUTO_TEST_SUITE(spawned_child)

namespace {

// Runs sh -c script through spawn_child with stdout on a pipe (fd 1) and extra mappings.
std::string spawn_output(lacme::child_spec spec, const std::string& script)
{
    auto [read_end, write_end] = lacme::make_pipe();
    spec.argv = {"sh", "-c", script};
    spec.fds.push_back({write_end.get(), STDOUT_FILENO});
    lacme::child_process child = lacme::spawn_child(spec);
    write_end.reset();
    std::string out = lacme::read_to_end(read_end.get(), 65536, "child output");
    BOOST_TEST(lacme::describe_wait_status(child.wait()) == "exited with value 0");
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(only_the_mapped_descriptors_reach_the_child)
{
    const lacme::unique_fd leaky(::open("/dev/null", O_RDONLY));
    const lacme::unique_fd mapped(::open("/dev/zero", O_RDONLY | O_CLOEXEC));
    lacme::child_spec spec;
    spec.fds = {{mapped.get(), 7}};
    // fd 0 and 2 unmapped: /dev/null; 7: the mapping; the leaky fd and every other one: closed.
    const std::string out = spawn_output(spec, "ls /proc/$$/fd; readlink /proc/$$/fd/0 /proc/$$/fd/7");
    BOOST_TEST(out == "0\n1\n2\n7\n/dev/null\n/dev/zero\n");
}

BOOST_AUTO_TEST_CASE(the_environment_is_minimal_and_the_directory_set)
{
    ::setenv("LACME_CHILD_TEST", "leaked", 1);
    lacme::child_spec spec;
    spec.environment = {"DEBUG=1"};
    spec.directory = "/tmp";
    const std::string out = spawn_output(spec, "pwd; printf '%s|' \"$LACME_CHILD_TEST\" \"$DEBUG\"; umask");
    ::unsetenv("LACME_CHILD_TEST");
    BOOST_TEST(out == "/tmp\n|1|0022\n");
}

BOOST_AUTO_TEST_CASE(the_child_has_no_new_privileges)
{
    lacme::child_spec spec;
    const std::string out = spawn_output(spec, "grep -E '^NoNewPrivs' /proc/$$/status");
    BOOST_TEST(out == "NoNewPrivs:\t1\n");
}

BOOST_AUTO_TEST_CASE(a_chdir_failure_comes_back_as_an_error)
{
    lacme::child_spec spec;
    spec.argv = {"true"};
    spec.directory = "/nonexistent/lacme-dir";
    BOOST_TEST(error_message([&] { (void)lacme::spawn_child(spec); }) ==
               "true: chdir(/nonexistent/lacme-dir): No such file or directory");
}

// Only a normal exit with value 0 is success: a non-zero value or a signal is not.
BOOST_AUTO_TEST_CASE(exited_successfully_only_for_exit_value_zero)
{
    const auto status_of = [](const std::string& script) {
        lacme::child_spec spec;
        spec.argv = {"sh", "-c", script};
        return lacme::spawn_child(spec).wait();
    };
    BOOST_TEST(lacme::exited_successfully(status_of("exit 0")));
    BOOST_TEST(!lacme::exited_successfully(status_of("exit 1")));
    BOOST_TEST(!lacme::exited_successfully(status_of("exit 255")));
    BOOST_TEST(!lacme::exited_successfully(status_of("kill -KILL $$")));
}

BOOST_AUTO_TEST_SUITE_END()
