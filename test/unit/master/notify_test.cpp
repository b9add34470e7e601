// SPDX-License-Identifier: GPL-3.0-or-later
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
        run_notify_commands({"sleep 20 & echo $! >" + pid_file + "; echo reloaded"}, log, std::chrono::seconds(10))
            .failures;
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
    const auto failures = run_notify_commands({counting, "exit 3", counting}, log, std::chrono::seconds(10)).failures;
    BOOST_TEST(read_file(count) == "x\n");
    BOOST_TEST_REQUIRE(failures.size() == 1U);
    BOOST_TEST(failures.front().command == "exit 3");
    BOOST_TEST(failures.front().reason == "exited with value 3");
}

// Issue 23: a notify command that timed out was killed alone: what it had started (here a
// `sleep` it waits for) kept running. Its whole process group is killed now.
BOOST_AUTO_TEST_CASE(a_timed_out_command_is_killed_with_what_it_started)
{
    const temp_dir dir;
    lacme::logger log(lacme::log_level::info);
    const std::string pid_file = dir.file("child.pid");
    const auto outcome =
        run_notify_commands({"sleep 60 & echo $! >" + pid_file + "; wait"}, log, std::chrono::seconds(1));
    BOOST_TEST_REQUIRE(outcome.failures.size() == 1U);
    BOOST_TEST(outcome.failures.front().reason == "timed out");
    const pid_t started = std::stoi(read_file(pid_file));
    bool gone = false;
    for (int i = 0; i < 50 && !gone; ++i, ::usleep(20000))
        gone = !running(started);
    BOOST_TEST(gone);
    if (!gone)
        ::kill(started, SIGKILL);
}

// Issue 23: the output of a notify command is logged up to notify_output_cap bytes in all,
// then only counted.
BOOST_AUTO_TEST_CASE(output_is_capped_in_total_and_the_rest_counted)
{
    const temp_dir dir;
    lacme::logger log(lacme::log_level::info);
    log.open_logfile(dir.file("log"));
    // 400 lines of 1000 zeros and a newline: 400400 bytes, far beyond the cap.
    const auto outcome =
        run_notify_commands({"for i in $(seq 400); do printf '%01000d\\n' 0; done"}, log, std::chrono::seconds(20));
    BOOST_TEST(outcome.failures.empty());
    const std::string logged = read_file(dir.file("log"));
    BOOST_TEST(logged.size() < lacme::master::notify_output_cap * 8);
    BOOST_TEST(logged.find(std::to_string(400400 - lacme::master::notify_output_cap) +
                           " more bytes of output not logged") != std::string::npos);
}

// Issue 23: SIGTERM during a notify command stops it (with what it started) promptly and is
// reported, instead of being seen only after the command ended.
BOOST_AUTO_TEST_CASE(a_signal_stops_the_running_command_and_skips_the_others)
{
    const temp_dir dir;
    lacme::logger log(lacme::log_level::info);
    const std::string marker = dir.file("second-ran");
    const std::string pid_file = dir.file("child.pid");
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = run_notify_commands(
        {"sleep 60 & echo $! >" + pid_file + "; kill -TERM " + std::to_string(::getpid()) + "; wait",
         "touch " + marker},
        log, std::chrono::seconds(30));
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
    BOOST_TEST(outcome.interrupted_by == SIGTERM);
    BOOST_TEST_REQUIRE(outcome.failures.size() == 2U);
    BOOST_TEST(outcome.failures[0].reason == "interrupted by signal 15");
    BOOST_TEST(outcome.failures[1].reason == "not run: interrupted by signal 15");
    BOOST_TEST(::access(marker.c_str(), F_OK) != 0);
    const pid_t started = std::stoi(read_file(pid_file));
    bool gone = false;
    for (int i = 0; i < 50 && !gone; ++i, ::usleep(20000))
        gone = !running(started);
    BOOST_TEST(gone);
    if (!gone)
        ::kill(started, SIGKILL);
}

BOOST_AUTO_TEST_SUITE_END()
