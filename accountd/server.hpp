// lacme-accountd's event loop: accepts connections on the socket (many at once) or serves one
// peer on stdin/stdout (--stdio), and shuts down cleanly on SIGINT/SIGTERM.
#pragma once

#include "accountd/connection.hpp"
#include "accountd/signing_service.hpp"
#include "accountd/socket_listener.hpp"
#include "accountd/uv_handle.hpp"

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace lacme::accountd {

class server {
public:
    explicit server(signing_service& service);
    server(const server&) = delete;
    server& operator=(const server&) = delete;
    ~server();

    // Both run the loop until done and return the exit status.
    int serve_socket(socket_listener& listener);
    int serve_stdio();

private:
    void watch_signals();
    void accept_connection();
    void add_connection(std::string id, uv_handle_ptr<uv_any_handle> in, uv_handle_ptr<uv_any_handle> out);
    void retire(connection& conn, bool refused);
    void shut_down();
    int run();

    signing_service& service_;
    uv_loop_t loop_{};
    bool stdio_ = false;
    bool shutting_down_ = false;
    int exit_status_ = 0;
    std::uint64_t accepted_ = 0;
    uv_handle_ptr<uv_pipe_t> listener_;
    std::vector<uv_handle_ptr<uv_signal_t>> signals_;
    uv_handle_ptr<uv_idle_t> reaper_;  // frees finished connections outside their callbacks
    std::map<connection*, std::unique_ptr<connection>> connections_;
    std::vector<std::unique_ptr<connection>> retired_;
};

}  // namespace lacme::accountd
