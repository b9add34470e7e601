// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_run.hpp"

#include "common/dev_null.hpp"
#include "common/error.hpp"
#include "common/fd_pair.hpp"
#include "common/fd_io.hpp"
#include "common/path.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace lacme::master {
namespace {

constexpr int config_target_fd = 3;
constexpr int socket_target_fd = 4;
constexpr int new_key_target_fd = 5;

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

client_run::client_run(uv_loop_t* loop, const child_role& role, accountd_relay* relay, client_invocation invocation,
                       bool debug, done_fn done)
    : relay_(relay), done_(std::move(done))
{
    const unique_fd config = config_fd_for(invocation.config);
    unique_fd socket;
    if (relay) {
        auto end = relay->attach_client(std::move(invocation.master_requests));
        socket = std::move(end.socket);
        relay_client_ = end.id;
    } else {
        socket = open_dev_null(O_RDWR | O_CLOEXEC);
    }
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
    spec.fds.push_back({config.get(), config_target_fd});
    spec.fds.push_back({socket.get(), socket_target_fd});
    std::optional<pipe_ends> err;
    if (invocation.show_errors || debug) {
        if (!invocation.section.empty()) {
            err = make_pipe();
            spec.fds.push_back({err->write.get(), STDERR_FILENO});
        } else {
            spec.fds.push_back({STDERR_FILENO, STDERR_FILENO});
        }
    }

    std::optional<pipe_ends> in, out;
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
    child_ = spawn_child(spec);

    if (in) {
        in->read.reset();
        // A client that exits before reading its input reports its own error.
        input_ = uv::stream::open(loop, std::move(in->write), invocation.input->size());
        (void)input_->write(std::move(*invocation.input));
        input_->end();
    }
    if (out) {
        out->write.reset();
        output_done_ = false;
        output_ = uv::stream::open(loop, std::move(out->read), 0);
        const int status = output_->start_reading([this](std::string_view bytes) { on_output(bytes); },
                                                  [this](int) {
                                                      output_done_ = true;
                                                      finish_if_done();
                                                  });
        if (status != 0)
            throw error(std::string("reading the client's output: ") + uv_strerror(status));
    }

    if (err) {
        err->write.reset();
        errors_done_ = false;
        error_lines_.emplace(invocation.section, STDERR_FILENO);
        errors_ = uv::stream::open(loop, std::move(err->read), 0);
        const int status = errors_->start_reading([this](std::string_view bytes) { error_lines_->feed(bytes); },
                                                  [this](int) {
                                                      error_lines_->finish();
                                                      errors_done_ = true;
                                                      finish_if_done();
                                                  });
        if (status != 0)
            throw error(std::string("reading the client's errors: ") + uv_strerror(status));
    }

    exit_watch_.emplace(loop, child_.exit_fd(), [this](int, int) { on_exit(); });
    exit_watch_->start(UV_READABLE);

    timer_.emplace(loop, [this] {
        failure_ = "client timed out after " + std::to_string(deadline.count()) + " s";
        child_.signal(SIGKILL);
    });
    timer_->start(deadline);
}

std::optional<std::string> client_run::accountd_failure() const
{
    return relay_ ? relay_->failure_of(relay_client_) : std::nullopt;
}

void client_run::on_output(std::string_view bytes)
{
    if (output_bytes_.size() + bytes.size() <= output_cap) {
        output_bytes_.append(bytes);
        return;
    }
    failure_ = "client output exceeds " + std::to_string(output_cap) + " bytes";
    child_.signal(SIGKILL);
    output_->stop_reading();
    output_done_ = true;
    finish_if_done();
}

void client_run::on_exit()
{
    // Stop watching before reaping closes the pidfd, so libuv never touches a reused fd number.
    exit_watch_->stop();
    const auto status = child_.try_reap();
    if (!status) {
        exit_watch_->start(UV_READABLE);
        return;
    }
    status_ = status;
    finish_if_done();
}

void client_run::finish_if_done()
{
    if (!status_ || !output_done_ || !errors_done_ || !done_)
        return;
    timer_->stop();
    client_result result;
    if (!failure_ && !exited_successfully(*status_)) {
        const auto reason = error_lines_ ? error_lines_->reason() : std::nullopt;
        failure_ = accountd_failure().value_or(reason ? *reason + " (client " + describe_wait_status(*status_) + ")"
                                                      : "client " + describe_wait_status(*status_));
    }
    result.failure = failure_;
    result.output = std::move(output_bytes_);
    result.started = started_;
    // Last statement: the callback may destroy this object.
    std::exchange(done_, nullptr)(std::move(result));
}

}  // namespace lacme::master
