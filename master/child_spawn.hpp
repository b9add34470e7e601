// Starting a child component (client, webserver, accountd, notify shell): fork, then in the child
// die-with-parent, privilege drop, no_new_privs, chdir, umask, an explicit fd map with every other
// fd closed, a minimal environment, exec. Failures before exec come back as a lacme::error.
#pragma once

#include "common/unique_fd.hpp"

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

struct fd_mapping {
    int source;  // fd in the master
    int target;  // fd number in the child
};

struct child_spec {
    std::vector<std::string> argv;  // argv[0] without '/' is looked up in the child's PATH
    std::string user;               // empty: keep the master's uid (as lacme does)
    std::string group;              // empty: keep the master's gids
    std::string directory = "/";
    mode_t umask = 022;
    std::vector<fd_mapping> fds;            // fds 0, 1, 2 not mapped get /dev/null
    std::vector<std::string> environment;   // NAME=VALUE added to USER, LOGNAME, HOME, SHELL, PATH, TERM
    bool expand_argv_after_drop = false;    // lacme's [accountd] command: %-specifiers of the dropped user
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
    // Waits up to grace for the child to exit by itself, then terminate(grace).
    int reap_within(std::chrono::milliseconds grace) noexcept;

private:
    pid_t pid_ = -1;
    unique_fd pidfd_;
};

child_process spawn_child(const child_spec& spec);

// "exited with value N" / "killed by signal N" for a wait status.
std::string describe_wait_status(int status);

}  // namespace lacme::master
