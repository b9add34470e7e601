// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/connection.hpp"

#include "common/uv/error.hpp"

#include <memory>

namespace lacme::accountd {
namespace {

// Flow control against a peer that sends faster than it reads: stop reading while this many
// requests wait, and stop signing while this many response bytes wait to be sent.
constexpr std::size_t max_pending_requests = 16;
constexpr std::size_t max_unsent_bytes = std::size_t{64} * 1024;
// What may wait in a stream's write queue at all: the backlog above plus one answer, and more.
constexpr std::size_t max_queued_bytes = std::size_t{1024} * 1024;

}  // namespace

// Work on libuv's pool for one connection; the connection clears `owner` if it goes away first.
struct connection::pool_job {
    uv_work_t req{};
    connection* owner;  // touched on the loop thread only
    std::function<void()> work;
    std::function<void(connection&)> done;
};

namespace {

struct signing_result {
    std::string response;  // the response line, or why signing failed
    bool failed = false;
};

signing_result sign_catching(const signing_service& service, const std::string& line)
{
    try {
        return {service.sign(line), false};
    } catch (const std::exception& e) {
        return {e.what(), true};
    }
}

}  // namespace

connection::connection(signing_service& service, tenant who, std::string id, uv::handle_ptr<uv_stream_t> input,
                       uv::handle_ptr<uv_stream_t> output, options opts, finished_callback on_finished)
    : service_(service), tenant_(std::move(who)), id_(std::move(id)), loop_(input->loop),
      input_(std::move(input), max_queued_bytes), idle_timer_(std::in_place, loop_, [this] { on_idle_timeout(); }),
      options_(opts), on_finished_(std::move(on_finished)), lines_(accountd_max_line)
{
    if (output)
        output_.emplace(std::move(output), max_queued_bytes);
    this->output().on_write_done([this] { on_written(); },
                                 [this](int status) {
                                     service_.log().verbose("[" + id_ + "] " +
                                                            error_text(std::string("write: ") + uv_strerror(status)));
                                     finish(false);
                                 });
}

connection::~connection()
{
    if (in_flight_ != nullptr)
        in_flight_->owner = nullptr;
}

void connection::start(std::string_view already_read)
{
    write(service_.greeting());
    if (phase_ == phase::closing)
        return;
    start_reading();
    if (!already_read.empty() && input_state_ == input_state::reading)
        on_read(already_read);
    update_idle_timer();
}

void connection::start_reading()
{
    input_state_ = input_state::reading;
    const int rc = input_.start_reading([this](std::string_view data) { on_read(data); },
                                        [this](int status) { on_read_end(status); }, options_.read_buffer);
    if (rc != 0) {
        service_.log().info("[" + id_ + "] " + error_text(std::string("read: ") + uv_strerror(rc)));
        finish(false);
    }
}

void connection::pause_reading(input_state why)
{
    if (input_state_ == input_state::ended)
        return;
    if (input_state_ == input_state::reading)
        input_.stop_reading();
    input_state_ = why;
}

void connection::stop()
{
    pause_reading(input_state::ended);
    idle_timer_.reset();
    input_.close();
    if (output_)
        output_->close();
}

void connection::on_read(std::string_view data)
{
    if (phase_ == phase::closing)
        return;
    lines_.append(data);
    bool complete_line = false;
    while (auto line = lines_.next()) {
        complete_line = true;
        if (line->bare_newline) {
            refuse_later("line not terminated by CRLF");
            break;
        }
        if (line->text.size() > accountd_max_line) {
            refuse_later("line too long");
            break;
        }
        pending_.emplace_back(std::move(line->text));
    }
    if (input_state_ != input_state::ended && lines_.overflowed())
        refuse_later("line too long");
    if (complete_line)
        peer_progressed();
    if (pending_.size() >= max_pending_requests)
        pause_reading(input_state::paused);  // resumed by process_next() once the backlog is answered
    after_input();
}

void connection::on_read_end(int status)
{
    if (phase_ == phase::closing)
        return;
    if (status != 0)
        service_.log().verbose("[" + id_ + "] " + error_text(std::string("read: ") + uv_strerror(status)));
    pause_reading(input_state::ended);
    after_input();
}

void connection::after_input()
{
    if (phase_ == phase::answering)
        process_next();
    update_idle_timer();
}

void connection::refuse_later(std::string_view reason)
{
    // Requests before the bad line are still answered; nothing after it is read.
    service_.log_refusal(id_, reason);
    pending_.emplace_back(std::nullopt);
    pause_reading(input_state::ended);
}

void connection::process_next()
{
    // A loop, not recursion: a peer may pipeline thousands of requests in one read.
    while (phase_ == phase::answering) {
        if (pending_.empty()) {
            if (input_state_ == input_state::ended)
                finish(false);
            return;
        }
        if (output().unsent_bytes() > max_unsent_bytes) {
            phase_ = phase::waiting_for_writes;  // on_written() resumes
            return;
        }
        std::optional<std::string> next = std::move(pending_.front());
        pending_.pop_front();
        if (input_state_ == input_state::paused && pending_.size() < max_pending_requests / 2)
            start_reading();
        if (!next) {
            finish(true);
            return;
        }
        auto admission = service_.admit(id_, tenant_, *next);
        if (!admission.request) {
            if (!admission.refusal_line.empty())
                write(std::move(admission.refusal_line));
            finish(true);
            return;
        }
        if (service_.signs_inline())
            sign_inline(*next, *admission.request);
        else
            queue_signature(std::move(*next), std::move(*admission.request));
    }
}

void connection::run_on_pool(std::function<void()> work, std::function<void(connection&)> done, phase meanwhile)
{
    auto job = std::make_unique<pool_job>();
    job->owner = this;
    job->work = std::move(work);
    job->done = std::move(done);
    job->req.data = job.get();
    const int rc = uv_queue_work(
        loop_, &job->req, [](uv_work_t* req) { static_cast<pool_job*>(req->data)->work(); },
        [](uv_work_t* req, int) {
            const std::unique_ptr<pool_job> j(static_cast<pool_job*>(req->data));
            if (j->owner == nullptr)
                return;
            j->owner->in_flight_ = nullptr;
            j->done(*j->owner);
        });
    if (rc != 0) {
        service_.log().info("[" + id_ + "] " + error_text(std::string("queueing work: ") + uv_strerror(rc)));
        finish(false);
        return;
    }
    in_flight_ = job.release();  // owned by the work request until its completion callback
    phase_ = meanwhile;
}

void connection::sign_inline(const std::string& line, const admitted_request& request)
{
    auto result = sign_catching(service_, line);
    deliver(std::move(result.response), request, result.failed);
}

void connection::queue_signature(std::string line, admitted_request request)
{
    auto result = std::make_shared<signing_result>();
    run_on_pool([service = &service_, line = std::move(line), result] { *result = sign_catching(*service, line); },
                [request = std::move(request), result](connection& c) {
                    c.on_signed(std::move(result->response), request, result->failed);
                },
                phase::signing);
}

void connection::on_signed(std::string response, const admitted_request& request, bool failed)
{
    if (phase_ != phase::signing)
        return;  // closed meanwhile (timeout)
    phase_ = phase::answering;
    deliver(std::move(response), request, failed);
    resume();
}

void connection::deliver(std::string response, const admitted_request& request, bool failed)
{
    if (failed) {
        // The key store failed (token removed, ...): say so and drop this peer, keep serving.
        service_.log().info("[" + id_ + "] " + error_text("signing failed: " + response));
        finish(false);
        return;
    }
    auto step = service_.release(id_, request);
    if (step.pending) {
        await_record(std::move(response), request, *step.pending);
        return;
    }
    if (step.refusal_line) {
        write(std::move(*step.refusal_line));
        finish(true);
        return;
    }
    write(std::move(response));
}

void connection::await_record(std::string response, admitted_request request, audit_ticket ticket)
{
    auto failure = std::make_shared<std::optional<std::string>>();
    signing_guard* const guard = request.guard;  // read before the second callback takes request
    run_on_pool([guard, ticket, failure] { *failure = guard->await_record(ticket); },
                [response = std::move(response), request = std::move(request), failure](connection& c) {
                    c.on_record_awaited(response, request, *failure);
                },
                phase::committing);
}

void connection::on_record_awaited(std::string response, const admitted_request& request,
                                   const std::optional<std::string>& failure)
{
    if (phase_ != phase::committing)
        return;  // closed meanwhile (timeout)
    phase_ = phase::answering;
    if (auto refusal = service_.released(id_, request, failure)) {
        write(std::move(*refusal));
        finish(true);
    } else {
        write(std::move(response));
    }
    resume();
}

void connection::resume()
{
    process_next();
    update_idle_timer();
}

void connection::write(std::string data)
{
    if (!output().write(std::move(data))) {
        service_.log().verbose(
            "[" + id_ + "] " +
            error_text("write: output closed or over " + std::to_string(max_queued_bytes) + " bytes"));
        finish(false);
    }
}

void connection::on_written()
{
    peer_progressed();
    if (phase_ == phase::waiting_for_writes) {
        phase_ = phase::answering;
        process_next();
    }
    update_idle_timer();
}

uv::stream& connection::output() noexcept
{
    return output_ ? *output_ : input_;
}

void connection::finish(bool refused)
{
    if (phase_ == phase::closing)
        return;
    phase_ = phase::closing;
    refused_ = refused;
    pause_reading(input_state::ended);
    // Flush queued writes (the last signature, the greeting) before closing: closing alone
    // would drop them.
    output().end([this] { close_now(); });
}

void connection::close_now()
{
    stop();
    on_finished_(*this, refused_);
}

void connection::peer_progressed()
{
    if (idle_timer_)
        idle_timer_->stop();
}

void connection::update_idle_timer()
{
    if (!idle_timer_ || options_.idle_timeout.count() == 0)
        return;
    const bool output_waits = output().unsent_bytes() > 0;
    const bool input_awaited = phase_ == phase::answering && pending_.empty() && input_state_ == input_state::reading;
    if (!output_waits && !input_awaited)
        idle_timer_->stop();
    else if (!idle_timer_->active())
        idle_timer_->start(options_.idle_timeout);
}

void connection::on_idle_timeout()
{
    service_.log().verbose("[" + id_ + "] Closing connection: no progress for " +
                           std::to_string(options_.idle_timeout.count()) + " s");
    if (phase_ != phase::closing && output().unsent_bytes() == 0) {
        finish(true);  // nothing left to flush: closes at once
        return;
    }
    // The peer does not take what we sent: flushing would wait for ever.
    phase_ = phase::closing;
    refused_ = true;
    close_now();
}

}  // namespace lacme::accountd
