// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/batch_client_run.hpp"

#include "common/error.hpp"

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
    client_.emplace(
        loop, role, &relay, invocation, debug, [this](std::string_view bytes) { on_output(bytes); },
        [this] { finish_run(); });
    input_ = uv::stream::open(loop, client_->take_input(), order_batch_max_line);
    input_->on_write_done(
        {}, [this](int status) { client_->kill(std::string("writing to the client: ") + uv_strerror(status)); });
}

void batch_client_run::send(const order_batch_request& request)
{
    std::string line = format_order_batch_request(request);
    in_flight_ = request.section;
    sent_ = std::chrono::system_clock::now();
    if (client_stderr* lines = client_->error_lines())
        lines->set_section(request.section);
    client_->arm_deadline(client_run::deadline);
    if (!input_->write(std::move(line)))
        client_->kill("the client does not take its requests");
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
        if (client_->killed())
            return;
    }
    if (answers_.overflowed())
        client_->kill("client answer longer than " + std::to_string(order_batch_max_line) + " bytes");
}

void batch_client_run::take_answer(std::string_view line)
{
    order_batch_answer answer;
    try {
        answer = parse_order_batch_answer(line);
    } catch (const error& e) {
        return client_->kill(std::string("client sent a broken answer: ") + e.what());
    }
    if (!in_flight_ || answer.section != *in_flight_)
        return client_->kill("client answered for a section it was not asked for");
    client_->read_errors_now();  // its stderr lines for this order keep its section
    client_->disarm_deadline();
    in_flight_.reset();
    client_result result;
    result.started = sent_;
    if (answer.chain)
        result.output = std::move(*answer.chain);
    else
        result.failure = relay_.take_failure_of(client_->relay_client()).value_or(answer.error);
    on_answer_(std::move(result));
}

void batch_client_run::finish_run()
{
    std::optional<std::string> failure = client_->failure();
    if (!failure && in_flight_)
        failure = "client ended without answering";
    // Last statement: the callback may destroy this object.
    std::exchange(on_end_, nullptr)(std::move(failure));
}

}  // namespace lacme::master
