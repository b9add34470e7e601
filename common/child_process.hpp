// SPDX-License-Identifier: GPL-3.0-or-later
// Starting child processes: the master's components (client, webserver, accountd, notify shell)
// and helper programs (gpg, iptables). One fork+exec path: in the child die-with-parent,
// privilege drop, no_new_privs, chdir, umask, an explicit fd map with every other fd closed, a
// minimal environment, exec. Failures before exec come back as a lacme::error.
#pragma once

#include "common/unique_fd.hpp"

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace lacme {

struct fd_mapping {
    int source;  // fd in the parent
    int target;  // fd number in the child
};

struct child_spec {
    std::vector<std::string> argv;  // argv[0] without '/' is looked up in the child's PATH
    std::string user;  // empty: keep the parent's uid (as lacme does)
    std::string group;  // empty: keep the parent's gids
    std::string directory = "/";  // empty: keep the parent's
    mode_t umask = 022;
    std::vector<fd_mapping> fds;  // fds 0, 1, 2 not mapped get /dev/null
    std::vector<std::string> environment;  // NAME=VALUE added to USER, LOGNAME, HOME, SHELL, PATH, TERM
    bool inherit_environment = false;  // the parent's whole environment instead (gpg's agent)
    bool expand_argv_after_drop = false;  // lacme's [accountd] command: %-specifiers of the dropped user
    bool own_process_group = false;  // leads a new process group (terminate_group)
};

// A started child, killed (SIGKILL) and reaped by the destructor if still running.
class child_process {
public:
    child_process() = default;
    child_process(pid_t pid, unique_fd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
    child_process(child_process&& other) noexcept;
    child_process& operator=(child_process&& other) noexcept;
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;
    ~child_process();

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }
    // Readable once the child has exited (pidfd_open), for the event loop.
    [[nodiscard]] int exit_fd() const noexcept { return pidfd_.get(); }
    [[nodiscard]] bool running() const noexcept { return pid_ > 0; }

    void signal(int signo) const noexcept;
    // The wait status if the child has exited (reaps it), nullopt while it runs.
    std::optional<int> try_reap() noexcept;
    // SIGTERM, wait up to grace, then SIGKILL; returns the wait status.
    int terminate(std::chrono::milliseconds grace) noexcept;
    // For a child spawned with own_process_group, while it runs: SIGTERM to its whole group (what
    // a shell started dies with it), up to grace for the child to exit, then SIGKILL to the
    // group; returns the child's wait status.
    int terminate_group(std::chrono::milliseconds grace) noexcept;
    // Waits up to grace for the child to exit by itself, then terminate(grace).
    int reap_within(std::chrono::milliseconds grace) noexcept;
    // Waits for the child to exit, however long it takes; returns the wait status.
    int wait() noexcept;

private:
    // The one wait on the pidfd outside an event loop: whether the child exited within grace.
    bool exits_within(std::chrono::milliseconds grace) const noexcept;

    pid_t pid_ = -1;
    unique_fd pidfd_;
};

child_process spawn_child(const child_spec& spec);

// Whether a wait status is a normal exit with value 0 (anything else is a failure).
[[nodiscard]] bool exited_successfully(int status) noexcept;

// "exited with value N" / "killed by signal N" for a wait status.
std::string describe_wait_status(int status);

// Runs argv[0] (PATH lookup) with the caller's environment and directory and returns what it
// wrote on stdout; stdin and stderr are inherited (gpg may prompt). Throws lacme::error if it
// cannot run, is killed, or exits non-zero ("NAME exited with value N"). Output longer than
// max_output is an error.
std::string run_capturing_stdout(const std::vector<std::string>& argv, std::size_t max_output);

}  // namespace lacme
