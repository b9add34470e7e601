// SPDX-License-Identifier: GPL-3.0-or-later
// One peer of lacme-accountd (a socket connection, or stdin/stdout with --stdio): sends the
// greeting, then answers each signing input in order, one at a time (the protocol is
// lock-step). Requests are validated on the loop; in-memory keys sign inline, token-backed keys
// on libuv's worker pool so that a slow token never stalls the loop. A signature whose audit
// record must reach the disk first waits for it on the pool too, so that the loop's other
// connections go on meanwhile and their records share the same sync. A peer that makes no
// progress (sends no complete request, takes none of our output) for the idle timeout is
// dropped.
#pragma once

#include "accountd/serving/signing_service.hpp"
#include "common/uv/handle.hpp"
#include "common/uv/stream.hpp"
#include "common/uv/timer.hpp"
#include "common/line_buffer.hpp"

#include <uv.h>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>

namespace lacme::accountd {

class connection {
public:
    // Called once, on the loop, when the connection is finished (peer closed, refused request,
    // timeout, error); `refused` is true after a NOSIGN or a timeout. The callback may destroy
    // the connection.
    using finished_callback = std::function<void(connection&, bool refused)>;

    struct options {
        std::chrono::seconds idle_timeout;  // 0: none
        // Where reads land before they are split into lines; shared by the loop's connections
        // (each read is consumed before the next one starts).
        std::span<char> read_buffer;
    };

    // input and output may be the same stream (a socket) or two (stdin, stdout). who: the
    // policy and caller its requests are decided for.
    connection(signing_service& service, tenant who, std::string id, uv::handle_ptr<uv_stream_t> input,
               uv::handle_ptr<uv_stream_t> output, options opts, finished_callback on_finished);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection();

    // already_read: what the peer sent before the connection was handed over (after a relay
    // header), taken as the first input.
    void start(std::string_view already_read = {});
    // Stops reading and closes the streams (shutdown of the daemon).
    void stop();
    [[nodiscard]] const std::string& id() const noexcept { return id_; }

private:
    struct pool_job;

    enum class phase {
        answering,  // takes the next pending request as soon as there is one
        signing,  // a worker thread computes a signature (in_flight_)
        committing,  // a worker thread waits until the signature's audit record is on disk
        waiting_for_writes,  // too much unsent output: a write completion resumes us
        closing,  // flushing the last answers, then closing
    };
    enum class input_state {
        reading,
        paused,  // the backlog of requests is full; process_next() resumes
        ended,  // end of file, read error or refused line: nothing more is read
    };

    void start_reading();
    void pause_reading(input_state why);
    [[nodiscard]] uv::stream& output() noexcept;
    void on_read(std::string_view data);
    void on_read_end(int status);
    void after_input();
    void process_next();
    // Runs work on libuv's pool in the given phase, then done on the loop if we are still there.
    void run_on_pool(std::function<void()> work, std::function<void(connection&)> done, phase meanwhile);
    void sign_inline(const std::string& line, const admitted_request& request);
    void queue_signature(std::string line, admitted_request request);
    void on_signed(std::string response, const admitted_request& request, bool failed);
    // Sends a signature once its audit record is on disk (or drops the peer if signing failed).
    void deliver(std::string response, const admitted_request& request, bool failed);
    void await_record(std::string response, admitted_request request, audit_ticket ticket);
    void on_record_awaited(std::string response, const admitted_request& request,
                           const std::optional<std::string>& failure);
    void resume();
    void write(std::string data);
    void on_written();
    // Flushes what is queued, then closes.
    void finish(bool refused);
    void close_now();
    void refuse_later(std::string_view reason);
    // The idle timer runs while we wait on the peer; progress restarts it.
    void peer_progressed();
    void update_idle_timer();
    void on_idle_timeout();

    signing_service& service_;
    tenant tenant_;
    std::string id_;
    uv_loop_t* loop_;
    uv::stream input_;
    std::optional<uv::stream> output_;  // empty when input_ is also the output
    std::optional<uv::timer> idle_timer_;
    options options_;
    finished_callback on_finished_;
    line_buffer lines_;
    std::deque<std::optional<std::string>> pending_;  // nullopt: refuse, then close
    phase phase_ = phase::answering;
    input_state input_state_ = input_state::ended;  // until start()
    bool refused_ = false;  // how the connection ends
    pool_job* in_flight_ = nullptr;  // owned by its work request; told when we go first
};

}  // namespace lacme::accountd
