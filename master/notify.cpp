#include "master/notify.hpp"

#include "common/child_process.hpp"
#include "common/error.hpp"
#include "common/fd_pair.hpp"
#include "common/line_buffer.hpp"
#include "common/text.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>

namespace lacme::master {
namespace {

constexpr std::size_t max_logged_line = 4096;
// After the shell exits, how long its output is still read: a daemon it started in the background
// may keep the pipe open for its whole life.
constexpr std::chrono::milliseconds output_grace{500};

using steady_clock = std::chrono::steady_clock;

// Logs the command's output line by line until the pipe closes, or until output_grace after the
// shell itself exited (exit_fd readable). Throws "timed out" at the deadline.
void log_output(int fd, int exit_fd, steady_clock::time_point deadline, logger& log)
{
    line_buffer lines(max_logged_line);
    char buffer[4096];
    bool exited = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now());
        if (left.count() <= 0) {
            if (exited)
                return;  // output still open, held by what the command left running
            throw error("timed out");
        }
        pollfd p[2] = {{fd, POLLIN, 0}, {exited ? -1 : exit_fd, POLLIN, 0}};
        if (::poll(p, 2, static_cast<int>(left.count())) < 0 && errno != EINTR)
            throw_errno("poll");
        if (p[1].revents != 0) {
            exited = true;
            deadline = std::min(deadline, steady_clock::now() + output_grace);
        }
        if (p[0].revents == 0)
            continue;
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return;
        lines.append(std::string_view(buffer, static_cast<std::size_t>(n)));
        while (auto line = lines.next())
            log.info("[notify] " + printable_for_log(line->text, max_logged_line));
        if (lines.overflowed())
            lines = line_buffer(max_logged_line);  // an endless line is dropped, not buffered
    }
}

std::optional<std::string> run_one(const std::string& command, std::chrono::seconds timeout, logger& log)
{
    auto [read_end, write_end] = make_pipe();
    child_spec spec;
    spec.argv = {"/bin/sh", "-c", command};
    spec.fds = {{write_end.get(), STDOUT_FILENO}, {write_end.get(), STDERR_FILENO}};
    child_process child = spawn_child(spec);
    write_end.reset();
    try {
        log_output(read_end.get(), child.exit_fd(), steady_clock::now() + timeout, log);
    } catch (const error& e) {
        child.terminate(std::chrono::milliseconds(1000));
        return e.what();
    }
    const int status = child.reap_within(std::chrono::milliseconds(std::chrono::seconds(timeout)));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return describe_wait_status(status);
    return std::nullopt;
}

}  // namespace

std::vector<notify_failure> run_notify_commands(const std::vector<std::string>& commands, logger& log,
                                                std::chrono::seconds timeout)
{
    std::vector<std::string> distinct;
    for (const auto& c : commands)
        if (std::find(distinct.begin(), distinct.end(), c) == distinct.end())
            distinct.push_back(c);
    std::vector<notify_failure> failures;
    for (const auto& command : distinct) {
        log.info("Running notification command `" + command + "`");
        try {
            if (auto reason = run_one(command, timeout, log))
                failures.push_back({command, *reason});
        } catch (const error& e) {
            failures.push_back({command, e.what()});
        }
    }
    return failures;
}

}  // namespace lacme::master
