// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_process.hpp"

#include "common/dev_null.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/fd_pair.hpp"
#include "common/path.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace lacme::master {
namespace {

constexpr int config_target_fd = 3;
constexpr int socket_target_fd = 4;
constexpr int new_key_target_fd = 5;

child_spec client_spec(const child_role& role, const client_invocation& invocation, bool debug)
{
    child_spec spec;
    spec.argv = role.command;
    spec.argv.push_back(invocation.command);
    spec.argv.push_back(std::to_string(config_target_fd));
    spec.argv.push_back(std::to_string(socket_target_fd));
    spec.argv.insert(spec.argv.end(), invocation.arguments.begin(), invocation.arguments.end());
    if (invocation.new_key_connection) {
        spec.argv.push_back("--new-key-fd=" + std::to_string(new_key_target_fd));
        spec.fds.push_back({invocation.new_key_connection.get(), new_key_target_fd});
    }
    spec.user = role.user;
    spec.group = role.group;
    spec.directory = invocation.directory;
    spec.environment = {debug ? "DEBUG=1" : "DEBUG=0"};
    return spec;
}

// A started client and the master's ends of the pipes its invocation asked for (invalid fds
// for those it did not: stdin from input, stdout from capture_output, stderr from section).
struct spawned_client {
    child_process child;
    std::uint64_t relay_client = 0;
    unique_fd input;
    unique_fd output;
    unique_fd errors;
};

spawned_client spawn_client(const child_role& role, accountd_relay* relay, client_invocation& invocation, bool debug)
{
    spawned_client spawned;
    const unique_fd config = config_fd_for(invocation.config);
    unique_fd socket;
    if (relay) {
        auto end = relay->attach_client(std::move(invocation.master_requests));
        socket = std::move(end.socket);
        spawned.relay_client = end.id;
    } else {
        socket = open_dev_null(O_RDWR | O_CLOEXEC);
    }
    child_spec spec = client_spec(role, invocation, debug);
    spec.fds.push_back({config.get(), config_target_fd});
    spec.fds.push_back({socket.get(), socket_target_fd});
    std::optional<pipe_ends> err, in, out;
    if (invocation.show_errors || debug) {
        if (!invocation.section.empty()) {
            err = make_pipe();
            spec.fds.push_back({err->write.get(), STDERR_FILENO});
        } else {
            spec.fds.push_back({STDERR_FILENO, STDERR_FILENO});
        }
    }
    if (invocation.input) {
        in = make_pipe();
        spec.fds.push_back({in->read.get(), STDIN_FILENO});
    }
    if (invocation.capture_output) {
        out = make_pipe();
        spec.fds.push_back({out->write.get(), STDOUT_FILENO});
    } else {
        spec.fds.push_back({STDOUT_FILENO, STDOUT_FILENO});
    }
    spawned.child = spawn_child(spec);
    // The child's ends close here: the master sees the end of its output when it exits.
    if (err)
        spawned.errors = std::move(err->read);
    if (in)
        spawned.input = std::move(in->write);
    if (out)
        spawned.output = std::move(out->read);
    return spawned;
}

}  // namespace

unique_fd config_fd_for(const nlohmann::json& config)
{
    std::string path = temp_directory() + "/lacme-client.conf.json-XXXXXX";
    unique_fd writer(::mkostemp(path.data(), O_CLOEXEC));
    if (!writer)
        throw_errno("mkstemp(" + path + ")");
    unique_fd reader(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    const int open_errno = errno;
    ::unlink(path.c_str());
    if (!reader) {
        errno = open_errno;
        throw_errno("open(" + path + ")");
    }
    write_all(writer.get(), config.dump(), path);
    return reader;
}

watched_client::watched_client(uv_loop_t* loop, const child_role& role, accountd_relay* relay,
                               client_invocation& invocation, bool debug, output_fn on_output,
                               std::function<void()> on_finished)
    : relay_(relay), on_finished_(std::move(on_finished))
{
    spawned_client spawned = spawn_client(role, relay, invocation, debug);
    child_ = std::move(spawned.child);
    relay_client_ = spawned.relay_client;
    input_ = std::move(spawned.input);
    if (spawned.output) {
        output_done_ = false;
        output_ = uv::stream::open(loop, std::move(spawned.output), 0);
        const int status = output_->start_reading(std::move(on_output), [this](int) {
            output_done_ = true;
            finish_if_done();
        });
        if (status != 0)
            throw error(std::string("reading the client's output: ") + uv_strerror(status));
    }
    if (spawned.errors) {
        errors_done_ = false;
        error_lines_.emplace(invocation.section, STDERR_FILENO);
        errors_ = uv::stream::open(loop, std::move(spawned.errors), 0);
        const int status = errors_->start_reading([this](std::string_view bytes) { error_lines_->feed(bytes); },
                                                  [this](int) {
                                                      error_lines_->finish();
                                                      errors_done_ = true;
                                                      finish_if_done();
                                                  });
        if (status != 0)
            throw error(std::string("reading the client's errors: ") + uv_strerror(status));
    }
    exit_watch_.emplace(loop, child_.exit_fd(), [this](int, int) {
        // Stop watching before reaping closes the pidfd, so libuv never touches a reused fd number.
        exit_watch_->stop();
        status_ = child_.try_reap();
        if (!status_)
            return exit_watch_->start(UV_READABLE);
        finish_if_done();
    });
    exit_watch_->start(UV_READABLE);
    timer_.emplace(loop, [this] { kill("client timed out after " + std::to_string(limit_.count()) + " s"); });
    settle_.emplace(loop, [this] { finish_if_done(); });
}

watched_client::~watched_client() = default;

void watched_client::kill(std::string reason)
{
    if (!failure_)
        failure_ = std::move(reason);
    child_.signal(SIGKILL);
    if (output_)
        output_->stop_reading();
    output_done_ = true;
    settle_->start(std::chrono::milliseconds(0));  // it may have exited already: nothing else would finish it
}

void watched_client::arm_deadline(std::chrono::seconds limit)
{
    limit_ = limit;
    timer_->start(limit);
}

void watched_client::disarm_deadline() noexcept
{
    timer_->stop();
}

void watched_client::read_errors_now()
{
    if (errors_)
        errors_->read_ready_bytes();
}

std::optional<std::string> watched_client::failure() const
{
    if (failure_ || !status_ || exited_successfully(*status_))
        return failure_;
    if (auto accountd = relay_ ? relay_->failure_of(relay_client_) : std::nullopt)
        return accountd;
    const auto reason = error_lines_ ? error_lines_->reason() : std::nullopt;
    return reason ? *reason + " (client " + describe_wait_status(*status_) + ")"
                  : "client " + describe_wait_status(*status_);
}

void watched_client::finish_if_done()
{
    if (!status_ || !output_done_ || !errors_done_ || !on_finished_)
        return;
    timer_->stop();
    settle_->stop();
    // Last statement: the callback may destroy this object.
    std::exchange(on_finished_, nullptr)();
}

}  // namespace lacme::master
