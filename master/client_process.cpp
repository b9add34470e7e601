// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_process.hpp"

#include "common/dev_null.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/fd_pair.hpp"
#include "common/path.hpp"

#include <fcntl.h>
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

client_exit_watch::client_exit_watch(uv_loop_t* loop, child_process& child, std::function<void(int status)> on_exit)
    : child_(child), on_exit_(std::move(on_exit)), watch_(loop, child.exit_fd(), [this](int, int) { on_ready(); })
{
    watch_.start(UV_READABLE);
}

void client_exit_watch::on_ready()
{
    // Stop watching before reaping closes the pidfd, so libuv never touches a reused fd number.
    watch_.stop();
    const auto status = child_.try_reap();
    if (!status) {
        watch_.start(UV_READABLE);
        return;
    }
    on_exit_(*status);  // last: it may destroy this object
}

uv::stream read_client_errors(uv_loop_t* loop, unique_fd fd, client_stderr& lines, std::function<void()> on_end)
{
    uv::stream errors = uv::stream::open(loop, std::move(fd), 0);
    const int status = errors.start_reading([&lines](std::string_view bytes) { lines.feed(bytes); },
                                            [&lines, on_end = std::move(on_end)](int) {
                                                lines.finish();
                                                on_end();
                                            });
    if (status != 0)
        throw error(std::string("reading the client's errors: ") + uv_strerror(status));
    return errors;
}

std::string client_failure(int status, const client_stderr* lines, std::optional<std::string> accountd_failure)
{
    if (accountd_failure)
        return std::move(*accountd_failure);
    const auto reason = lines ? lines->reason() : std::nullopt;
    return reason ? *reason + " (client " + describe_wait_status(status) + ")" : "client " + describe_wait_status(status);
}

}  // namespace lacme::master
