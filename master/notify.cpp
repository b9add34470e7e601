// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/notify.hpp"

#include "master/interrupt_signals.hpp"

#include "common/child_process.hpp"
#include "common/error.hpp"
#include "common/fd_pair.hpp"
#include "common/line_buffer.hpp"
#include "common/text.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

namespace lacme::master {
namespace {

constexpr std::size_t max_logged_line = 4096;
// After the shell exits, how long its output is still read: a daemon it started in the background
// may keep the pipe open for its whole life.
constexpr std::chrono::milliseconds output_grace{500};
// A command being stopped gets this long after SIGTERM before SIGKILL.
constexpr std::chrono::milliseconds stop_grace{1000};

using steady_clock = std::chrono::steady_clock;

// The command's output, logged line by line up to notify_output_cap bytes, then only counted:
// a chatty or runaway command cannot flood the log (cron mails it).
class output_log {
public:
    explicit output_log(logger& log) : log_(log) {}
    ~output_log()
    {
        if (dropped_ > 0)
            log_.info("[notify] (" + std::to_string(dropped_) + " more bytes of output not logged)");
    }
    output_log(const output_log&) = delete;
    output_log& operator=(const output_log&) = delete;

    void append(std::string_view bytes)
    {
        const std::size_t kept = std::min(bytes.size(), notify_output_cap - std::min(logged_, notify_output_cap));
        dropped_ += bytes.size() - kept;
        logged_ += kept;
        lines_.append(bytes.substr(0, kept));
        while (auto line = lines_.next())
            log_.info("[notify] " + printable_for_log(line->text, max_logged_line));
        if (lines_.overflowed())
            lines_ = line_buffer(max_logged_line);  // an endless line is dropped, not buffered
    }

private:
    logger& log_;
    line_buffer lines_{max_logged_line};
    std::size_t logged_ = 0;
    std::size_t dropped_ = 0;
};

// How the wait for a command's output ended.
struct wait_end {
    bool exited = false;  // the shell had exited
    bool timed_out = false;
    int signal = 0;  // an interrupting signal's number
};

// Logs the command's output until the pipe closes, or until output_grace after the shell
// itself exited (exit_fd readable), the deadline, or an interrupting signal.
wait_end log_output(int fd, int exit_fd, steady_clock::time_point deadline, interrupt_signals& signals, logger& log)
{
    output_log output(log);
    char buffer[4096];
    bool exited = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now());
        if (left.count() <= 0)  // after the exit: output held open by what it left running
            return {.exited = exited, .timed_out = !exited};
        pollfd p[3] = {{fd, POLLIN, 0}, {exited ? -1 : exit_fd, POLLIN, 0}, {signals.fd(), POLLIN, 0}};
        if (::poll(p, 3, static_cast<int>(left.count())) < 0 && errno != EINTR)
            throw_errno("poll");
        if (p[1].revents != 0) {
            exited = true;
            deadline = std::min(deadline, steady_clock::now() + output_grace);
        }
        if (p[2].revents != 0)
            if (const int signo = signals.take())
                return {.exited = exited, .signal = signo};
        if (p[0].revents == 0)
            continue;
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return {.exited = exited};
        output.append(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
}

// Runs the command; its failure reason, if any. Sets `interrupted_by` when a signal stopped it.
std::optional<std::string> run_one(const std::string& command, std::chrono::seconds timeout, interrupt_signals& signals,
                                   int& interrupted_by, logger& log)
{
    auto [read_end, write_end] = make_pipe();
    child_spec spec;
    spec.argv = {"/bin/sh", "-c", command};
    spec.fds = {{write_end.get(), STDOUT_FILENO}, {write_end.get(), STDERR_FILENO}};
    spec.own_process_group = true;
    child_process child = spawn_child(spec);
    write_end.reset();
    const wait_end end = log_output(read_end.get(), child.exit_fd(), steady_clock::now() + timeout, signals, log);
    interrupted_by = end.signal;
    if (!end.exited && (end.timed_out || end.signal != 0)) {
        child.terminate_group(stop_grace);
        return end.signal != 0 ? "interrupted by signal " + std::to_string(end.signal) : std::string("timed out");
    }
    const int status = child.reap_within(std::chrono::milliseconds(std::chrono::seconds(timeout)));
    if (!exited_successfully(status))
        return describe_wait_status(status);
    return std::nullopt;
}

}  // namespace

notify_outcome run_notify_commands(const std::vector<std::string>& commands, logger& log, std::chrono::seconds timeout)
{
    std::vector<std::string> distinct;
    for (const auto& c : commands)
        if (std::find(distinct.begin(), distinct.end(), c) == distinct.end())
            distinct.push_back(c);
    notify_outcome outcome;
    if (distinct.empty())
        return outcome;
    interrupt_signals signals;
    for (const auto& command : distinct) {
        if (outcome.interrupted_by == 0)
            outcome.interrupted_by = signals.take();  // arrived between two commands
        if (outcome.interrupted_by != 0) {
            outcome.failures.push_back(
                {command, "not run: interrupted by signal " + std::to_string(outcome.interrupted_by), false});
            continue;
        }
        log.info("Running notification command `" + command + "`");
        try {
            if (auto reason = run_one(command, timeout, signals, outcome.interrupted_by, log))
                outcome.failures.push_back({command, *reason});
        } catch (const error& e) {
            outcome.failures.push_back({command, e.what()});
        }
    }
    if (outcome.interrupted_by == 0)
        outcome.interrupted_by = signals.take();
    return outcome;
}

}  // namespace lacme::master
