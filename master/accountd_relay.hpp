// Shares the run's one accountd connection between concurrent clients. Each client gets its own
// socket (the SOCKET_FD of its command line) and sees a private accountd: the greeting replayed
// verbatim, then one answer per signing input. The master forwards whole lines only; accountd
// answers in order, so answers go back to the clients in the order their requests went out.
#pragma once

#include "common/line_buffer.hpp"
#include "common/unique_fd.hpp"
#include "common/uv/stream.hpp"

#include <uv.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace lacme::master {

class accountd_relay {
public:
    using log_fn = std::function<void(const std::string&)>;

    accountd_relay(uv_loop_t* loop, unique_fd upstream, log_fn debug_log);

    // A new client's end of its private connection.
    unique_fd attach_client();
    // Why the upstream connection ended early, if it did.
    [[nodiscard]] const std::optional<std::string>& failure() const noexcept { return failure_; }
    [[nodiscard]] std::size_t requests_relayed() const noexcept { return relayed_; }

private:
    struct peer {
        uv::stream stream;
        line_buffer lines;
    };

    void on_upstream_data(std::string_view bytes);
    void on_upstream_end(int status);
    void on_peer_data(std::uint64_t id, std::string_view bytes);
    void drop_peer(std::uint64_t id);
    void greet(peer& p) const;
    void fail(std::string reason);

    uv::stream upstream_;
    line_buffer upstream_lines_;
    std::optional<std::string> greeting_;  // both lines, CRLF-terminated, once received
    std::string partial_greeting_;
    int greeting_lines_ = 0;
    std::map<std::uint64_t, peer> peers_;
    std::deque<std::uint64_t> in_flight_;  // whose answer comes next
    std::uint64_t next_id_ = 1;
    std::size_t relayed_ = 0;
    std::optional<std::string> failure_;
    uv_loop_t* loop_;
    log_fn debug_log_;
};

}  // namespace lacme::master
