#include "accountd/connection.hpp"

#include "common/error.hpp"

namespace lacme::accountd {
namespace {

struct write_request {
    uv_write_t req{};
    std::string data;
};

// Flow control against a peer that sends faster than it reads: stop reading while this many
// requests wait, and stop signing while this many response bytes wait to be sent.
constexpr std::size_t max_pending_requests = 16;
constexpr std::size_t max_unsent_bytes = 64 * 1024;

}  // namespace

// A signature computed on the worker pool. Holds copies of everything it needs, and a token
// telling whether the connection still exists when the result comes back.
struct connection::sign_job {
    uv_work_t req{};
    connection* owner;  // touched on the loop thread only, and only while *alive
    const signing_service* service;
    std::shared_ptr<bool> alive;
    std::string line;
    signing_input_check request;
    std::string response;
    bool failed = false;
};

connection::connection(signing_service& service, std::string id, uv_handle_ptr<uv_any_handle> input,
                       uv_handle_ptr<uv_any_handle> output, finished_callback on_finished)
    : service_(service),
      id_(std::move(id)),
      input_(std::move(input)),
      output_(std::move(output)),
      on_finished_(std::move(on_finished)),
      lines_(accountd_max_line)
{
    input_->handle.data = this;
    if (output_)
        output_->handle.data = this;
}

connection::~connection()
{
    *alive_ = false;
}

void connection::start()
{
    write(service_.greeting());
    start_reading();
}

void connection::start_reading()
{
    reading_ = true;
    const int rc = uv_read_start(
        as_stream(input_.get()),
        [](uv_handle_t* handle, std::size_t, uv_buf_t* buf) {
            // Each read is consumed before the next one starts, so one buffer serves them all.
            auto& buffer = static_cast<connection*>(handle->data)->read_buffer_;
            *buf = uv_buf_init(buffer.data(), static_cast<unsigned>(buffer.size()));
        },
        [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
            static_cast<connection*>(stream->data)->on_read(nread, buf);
        });
    if (rc != 0) {
        service_.log().info("[" + id_ + "] Error: read: " + uv_strerror(rc));
        finish(false);
    }
}

void connection::stop_reading()
{
    reading_ = false;
    if (input_)
        uv_read_stop(as_stream(input_.get()));
}

void connection::stop()
{
    stop_reading();
    input_.reset();
    output_.reset();
}

void connection::on_read(ssize_t nread, const uv_buf_t* buf)
{
    if (finished_)
        return;
    if (nread < 0) {
        if (nread != UV_EOF)
            service_.log().verbose("[" + id_ + "] Error: read: " + uv_strerror(static_cast<int>(nread)));
        eof_ = true;
        stop_reading();
        if (!signing_)
            process_next();
        return;
    }
    lines_.append(std::string_view(buf->base, static_cast<std::size_t>(nread)));
    while (auto line = lines_.next()) {
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
    if (!refused_ && lines_.overflowed())
        refuse_later("line too long");
    if (reading_ && pending_.size() >= max_pending_requests)
        stop_reading();  // resumed by process_next() once the backlog is answered
    if (!signing_)
        process_next();
}

void connection::refuse_later(std::string_view reason)
{
    // Requests before the bad line are still answered; nothing after it is read.
    service_.log().info("[" + id_ + "] NOSIGN [" + std::string(reason) + "]");
    pending_.emplace_back(std::nullopt);
    refused_ = true;
    stop_reading();
}

void connection::process_next()
{
    // A loop, not recursion: a peer may pipeline thousands of requests in one read.
    while (!finished_ && !signing_) {
        if (pending_.empty()) {
            if (eof_)
                finish(false);
            return;
        }
        if (uv_stream_get_write_queue_size(output_stream()) > max_unsent_bytes) {
            waiting_for_writes_ = true;  // the write callback calls us again
            return;
        }
        std::optional<std::string> next = std::move(pending_.front());
        pending_.pop_front();
        if (!reading_ && !eof_ && !refused_ && pending_.size() < max_pending_requests / 2)
            start_reading();
        if (!next) {
            finish(true);
            return;
        }
        auto request = service_.admit(id_, *next);
        if (!request) {
            finish(true);
            return;
        }
        if (service_.signs_inline()) {
            std::string response;
            bool failed = false;
            try {
                response = service_.sign(*next);
            } catch (const std::exception& e) {
                response = e.what();
                failed = true;
            }
            deliver(std::move(response), *request, failed);
            continue;
        }
        queue_signature(std::move(*next), std::move(*request));
        return;
    }
}

void connection::queue_signature(std::string line, signing_input_check request)
{
    auto job = std::make_unique<sign_job>();
    job->owner = this;
    job->service = &service_;
    job->alive = alive_;
    job->line = std::move(line);
    job->request = std::move(request);
    job->req.data = job.get();
    const int rc = uv_queue_work(
        input_->handle.loop, &job->req,
        [](uv_work_t* req) {
            auto* j = static_cast<sign_job*>(req->data);
            try {
                j->response = j->service->sign(j->line);
            } catch (const std::exception& e) {
                j->response = e.what();
                j->failed = true;
            }
        },
        [](uv_work_t* req, int) {
            const std::unique_ptr<sign_job> j(static_cast<sign_job*>(req->data));
            if (!*j->alive)
                return;
            connection& self = *j->owner;
            self.signing_ = false;
            self.deliver(std::move(j->response), j->request, j->failed);
            self.process_next();
        });
    if (rc != 0) {
        service_.log().info("[" + id_ + "] Error: queueing signature: " + uv_strerror(rc));
        finish(false);
        return;
    }
    (void)job.release();  // owned by the work request until its completion callback
    signing_ = true;
}

void connection::deliver(std::string response, const signing_input_check& request, bool failed)
{
    if (finished_)
        return;
    if (failed) {
        // The key store failed (token removed, ...): say so and drop this peer, keep serving.
        service_.log().info("[" + id_ + "] Error: signing failed: " + response);
        finish(false);
        return;
    }
    service_.log_signed(id_, request);
    write(std::move(response));
}

void connection::write(std::string data)
{
    auto request = std::make_unique<write_request>();
    request->data = std::move(data);
    uv_buf_t buf = uv_buf_init(request->data.data(), static_cast<unsigned>(request->data.size()));
    request->req.data = request.get();
    const int rc = uv_write(&request->req, output_stream(), &buf, 1, [](uv_write_t* req, int status) {
        const std::unique_ptr<write_request> done(static_cast<write_request*>(req->data));
        if (status == UV_ECANCELED)
            return;  // the stream was closed: its connection may be gone
        auto* self = static_cast<connection*>(req->handle->data);
        if (self->waiting_for_writes_) {
            self->waiting_for_writes_ = false;
            self->process_next();
        }
    });
    if (rc != 0) {
        service_.log().verbose("[" + id_ + "] Error: write: " + uv_strerror(rc));
        finish(false);
        return;
    }
    (void)request.release();  // freed by the write callback, also when the write is cancelled
}

uv_stream_t* connection::output_stream() const noexcept
{
    return as_stream(output_ ? output_.get() : input_.get());
}

void connection::finish(bool refused)
{
    if (finished_)
        return;
    finished_ = true;
    refused_ = refused;
    stop_reading();
    // Flush queued writes (the last signature, the greeting) before closing: uv_close alone
    // would cancel them.
    shutdown_req_.data = this;
    const int rc = uv_shutdown(&shutdown_req_, output_stream(),
                               [](uv_shutdown_t* req, int status) {
                                   if (status == UV_ECANCELED)
                                       return;  // stop() closed the stream; the owner is gone
                                   auto* self = static_cast<connection*>(req->data);
                                   self->stop();
                                   self->on_finished_(*self, self->refused_);
                               });
    if (rc != 0) {
        stop();
        on_finished_(*this, refused);
    }
}

}  // namespace lacme::accountd
