// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/batch_client_run.hpp"

#include "common/error.hpp"

#include <signal.h>
#include <unistd.h>

namespace lacme::master {
namespace {

client_invocation batch_invocation(const nlohmann::json& config, const std::string& directory)
{
    client_invocation invocation;
    invocation.command = "newOrders";
    invocation.config = config;
    invocation.input = std::string();  // a pipe: the requests come one by one
    invocation.directory = directory;
    invocation.section = "newOrders";  // stderr through client_stderr; each request names its section
    return invocation;
}

}  // namespace

batch_client_run::batch_client_run(uv_loop_t* loop, const child_role& role, accountd_relay& relay,
                                   const nlohmann::json& config, const std::string& directory, bool debug,
                                   answer_fn on_answer, end_fn on_end)
    : relay_(relay), on_answer_(std::move(on_answer)), on_end_(std::move(on_end))
{
    client_invocation invocation = batch_invocation(config, directory);
    spawned_client spawned = spawn_client(role, &relay, invocation, debug);
    child_ = std::move(spawned.child);
    relay_client_ = spawned.relay_client;

    input_ = uv::stream::open(loop, std::move(spawned.input), order_batch_max_line);
    input_->on_write_done({}, [this](int status) { fail(std::string("writing to the client: ") + uv_strerror(status)); });
    output_ = uv::stream::open(loop, std::move(spawned.output), 0);
    if (const int status = output_->start_reading([this](std::string_view bytes) { on_output(bytes); },
                                                  [this](int) {
                                                      output_done_ = true;
                                                      finish_if_done();
                                                  }))
        throw error(std::string("reading the client's output: ") + uv_strerror(status));
    errors_done_ = !spawned.errors;
    if (spawned.errors) {
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
    timer_.emplace(loop, [this] { fail("client timed out after " + std::to_string(client_run::deadline.count()) + " s"); });
}

void batch_client_run::send(const order_batch_request& request)
{
    std::string line = format_order_batch_request(request);
    in_flight_ = request.section;
    sent_ = std::chrono::system_clock::now();
    if (error_lines_)
        error_lines_->set_section(request.section);
    timer_->start(client_run::deadline);
    if (!input_->write(std::move(line)))
        fail("the client does not take its requests");
}

void batch_client_run::finish()
{
    input_->end();
}

void batch_client_run::on_output(std::string_view bytes)
{
    answers_.append(bytes);
    while (auto line = answers_.next()) {
        take_answer(line->text);
        if (failure_)
            return;
    }
    if (answers_.overflowed())
        fail("client answer longer than " + std::to_string(order_batch_max_line) + " bytes");
}

void batch_client_run::take_answer(std::string_view line)
{
    order_batch_answer answer;
    try {
        answer = parse_order_batch_answer(line);
    } catch (const error& e) {
        return fail(std::string("client sent a broken answer: ") + e.what());
    }
    if (!in_flight_ || answer.section != *in_flight_)
        return fail("client answered for a section it was not asked for");
    // Its stderr lines for this order were written before the answer: they keep its section.
    if (errors_)
        errors_->read_ready_bytes();
    timer_->stop();
    in_flight_.reset();
    client_result result;
    result.started = sent_;
    if (answer.chain)
        result.output = std::move(*answer.chain);
    else
        result.failure = relay_.take_failure_of(relay_client_).value_or(answer.error);
    on_answer_(std::move(result));
}

void batch_client_run::fail(std::string reason)
{
    if (!failure_)
        failure_ = std::move(reason);
    child_.signal(SIGKILL);
    output_->stop_reading();
    output_done_ = true;
    finish_if_done();
}

void batch_client_run::finish_if_done()
{
    if (!status_ || !output_done_ || !errors_done_ || !on_end_)
        return;
    timer_->stop();
    std::optional<std::string> failure = failure_;
    if (!failure && (in_flight_ || !exited_successfully(*status_)))
        failure = exited_successfully(*status_) ? "client ended without answering"
                                                : client_failure(*status_, error_lines_ ? &*error_lines_ : nullptr,
                                                                 relay_.failure_of(relay_client_));
    // Last statement: the callback may destroy this object.
    std::exchange(on_end_, nullptr)(std::move(failure));
}

}  // namespace lacme::master
