// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_run.hpp"

#include "common/error.hpp"

#include <signal.h>

namespace lacme::master {

client_run::client_run(uv_loop_t* loop, const child_role& role, accountd_relay* relay, client_invocation invocation,
                       bool debug, done_fn done)
    : relay_(relay), done_(std::move(done))
{
    spawned_client spawned = spawn_client(role, relay, invocation, debug);
    child_ = std::move(spawned.child);
    relay_client_ = spawned.relay_client;

    if (spawned.input) {
        // A client that exits before reading its input reports its own error.
        input_ = uv::stream::open(loop, std::move(spawned.input), invocation.input->size());
        (void)input_->write(std::move(*invocation.input));
        input_->end();
    }
    if (spawned.output) {
        output_done_ = false;
        output_ = uv::stream::open(loop, std::move(spawned.output), 0);
        const int status = output_->start_reading([this](std::string_view bytes) { on_output(bytes); },
                                                  [this](int) {
                                                      output_done_ = true;
                                                      finish_if_done();
                                                  });
        if (status != 0)
            throw error(std::string("reading the client's output: ") + uv_strerror(status));
    }
    if (spawned.errors) {
        errors_done_ = false;
        error_lines_.emplace(invocation.section, STDERR_FILENO);
        errors_ = read_client_errors(loop, std::move(spawned.errors), *error_lines_, [this] {
            errors_done_ = true;
            finish_if_done();
        });
    }

    exit_watch_.emplace(loop, child_, [this](int status) {
        status_ = status;
        finish_if_done();
    });

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

void client_run::finish_if_done()
{
    if (!status_ || !output_done_ || !errors_done_ || !done_)
        return;
    timer_->stop();
    client_result result;
    if (!failure_ && !exited_successfully(*status_))
        failure_ = client_failure(*status_, error_lines_ ? &*error_lines_ : nullptr, accountd_failure());
    result.failure = failure_;
    result.output = std::move(output_bytes_);
    result.started = started_;
    // Last statement: the callback may destroy this object.
    std::exchange(done_, nullptr)(std::move(result));
}

}  // namespace lacme::master
