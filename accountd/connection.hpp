// One peer of lacme-accountd (a socket connection, or stdin/stdout with --stdio): sends the
// greeting, then answers each signing input in order, one at a time (the protocol is
// lock-step). Requests are validated on the loop; in-memory keys sign inline, token-backed keys
// on libuv's worker pool so that a slow token never stalls the loop.
#pragma once

#include "accountd/signing_service.hpp"
#include "accountd/uv_handle.hpp"
#include "common/line_buffer.hpp"

#include <uv.h>

#include <deque>
#include <optional>
#include <vector>
#include <functional>
#include <string>

namespace lacme::accountd {

class connection {
public:
    // Called once, on the loop, when the connection is finished (peer closed, refused request,
    // error); `refused` is true after a NOSIGN. The callback may destroy the connection.
    using finished_callback = std::function<void(connection&, bool refused)>;

    // input and output may be the same stream (a socket) or two (stdin, stdout).
    connection(signing_service& service, std::string id, uv_handle_ptr<uv_any_handle> input,
               uv_handle_ptr<uv_any_handle> output, finished_callback on_finished);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection();

    void start();
    // Stops reading and closes the streams (shutdown of the daemon).
    void stop();
    [[nodiscard]] const std::string& id() const noexcept { return id_; }

private:
    struct sign_job;

    void start_reading();
    void stop_reading();
    [[nodiscard]] uv_stream_t* output_stream() const noexcept;
    void on_read(ssize_t nread, const uv_buf_t* buf);
    void process_next();
    void queue_signature(std::string line, signing_input_check request);
    // Sends a signature (or drops the peer if signing failed).
    void deliver(std::string response, const signing_input_check& request, bool failed);
    void write(std::string data);
    void finish(bool refused);
    void refuse_later(std::string_view reason);

    signing_service& service_;
    std::string id_;
    uv_handle_ptr<uv_any_handle> input_;
    uv_handle_ptr<uv_any_handle> output_;  // empty when input_ is also the output
    finished_callback on_finished_;
    line_buffer lines_;
    std::vector<char> read_buffer_ = std::vector<char>(64 * 1024);
    std::deque<std::optional<std::string>> pending_;  // nullopt: refuse, then close
    uv_shutdown_t shutdown_req_{};
    bool signing_ = false;
    bool reading_ = false;
    bool waiting_for_writes_ = false;
    bool eof_ = false;
    bool finished_ = false;
    bool refused_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // outlives us for late work callbacks
};

}  // namespace lacme::accountd
