#include "master/notify.hpp"

#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <unistd.h>

using lacme::master::run_notify_commands;
using lacme::test::read_file;
using lacme::test::temp_dir;

namespace {

// Alive and not a zombie (an orphan's reaper may be slow to reap).
bool running(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    if (::access(path.c_str(), F_OK) != 0)
        return false;  // already reaped
    const std::string stat = read_file(path);
    const auto paren = stat.rfind(')');
    return paren != std::string::npos && stat.size() > paren + 2 && stat[paren + 2] != 'Z';
}

}  // namespace

BOOST_AUTO_TEST_SUITE(master_notify)

// A notify command that starts a daemon keeping its stdout open (`service reload` can) used
// to hold the master until the daemon exited (the pipe was read to its end): the daemon must still
// be running when the master goes on.
BOOST_AUTO_TEST_CASE(a_daemon_keeping_the_output_open_does_not_hold_the_run)
{
    const temp_dir dir;
    lacme::logger log(lacme::log_level::info);
    log.open_logfile(dir.file("log"));
    const std::string pid_file = dir.file("daemon.pid");
    const auto failures =
        run_notify_commands({"sleep 20 & echo $! >" + pid_file + "; echo reloaded"}, log, std::chrono::seconds(10));
    const pid_t daemon = std::stoi(read_file(pid_file));
    BOOST_TEST(running(daemon));
    ::kill(daemon, SIGKILL);
    BOOST_TEST(failures.empty());
    BOOST_TEST(read_file(dir.file("log")).find("[notify] reloaded") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(each_distinct_command_runs_once_and_failures_are_named)
{
    const temp_dir dir;
    lacme::logger log(lacme::log_level::info);
    const std::string count = dir.file("count");
    const std::string counting = "echo x >>" + count;
    const auto failures = run_notify_commands({counting, "exit 3", counting}, log, std::chrono::seconds(10));
    BOOST_TEST(read_file(count) == "x\n");
    BOOST_TEST_REQUIRE(failures.size() == 1U);
    BOOST_TEST(failures.front().command == "exit 3");
    BOOST_TEST(failures.front().reason == "exited with value 3");
}

BOOST_AUTO_TEST_SUITE_END()
