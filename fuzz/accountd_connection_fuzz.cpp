// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes lacme-accountd's connection state machine (line framing, pipelining, refusals, flow
// control, the signing hand-off and closing) through a real connection on a socketpair,
// single-threaded: the harness is the peer and turns the loop itself. Input: first byte picks
// the write chunk size, whether the peer reads while writing and whether the key signs inline
// or on the worker pool; the rest is the byte stream. Every stream ends with the peer's FIN,
// after which the connection must answer what it can and finish: one that never does is a bug
// (abort). Whatever it sends is the greeting, then lines ending in CRLF.
#include "accountd/serving/connection.hpp"

#include "common/unique_fd.hpp"
#include "common/uv/loop.hpp"
#include "test/unit/accountd/fixed_signer.hpp"

#include <sys/socket.h>
#include <uv.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using lacme::unique_fd;
using namespace lacme::accountd;

namespace {

[[noreturn]] void die(const char* what)
{
    std::fprintf(stderr, "harness: %s: %s\n", what, std::strerror(errno));
    std::abort();
}

// Signing services for the whole session (inline and worker-pool keys); a loop and a
// connection per input.
struct services {
    lacme::test::fixed_signer inline_key{true};
    lacme::test::fixed_signer pool_key{false};
    lacme::logger log{lacme::log_level::info};
    signing_service inline_service{inline_key, log, std::nullopt};
    signing_service pool_service{pool_key, log, std::nullopt};
    std::vector<char> read_buffer = std::vector<char>(64 * 1024);
};

services& get_services()
{
    static services s;  // libFuzzer runs inputs one after another in this process
    return s;
}

// Reads what is available; false once the connection has closed.
bool drain(int fd, std::string& out)
{
    char buf[16384];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0)
            return false;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return true;
        if (errno == ECONNRESET)
            return false;
        die("recv");
    }
}

void check_output(std::string_view out, const std::string& greeting)
{
    if (!out.starts_with(greeting))
        std::abort();
    out.remove_prefix(greeting.size());
    while (!out.empty()) {
        const std::size_t end = out.find("\r\n");
        if (end == std::string_view::npos)
            std::abort();
        out.remove_prefix(end + 2);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
    if (size == 0)
        return 0;
    services& s = get_services();
    const std::size_t chunk = 1 + (bytes[0] & 0x3f) * ((bytes[0] & 0x40) ? 64 : 1);
    const bool read_while_writing = bytes[0] & 0x80;
    signing_service& service = (bytes[0] & 0x01) ? s.pool_service : s.inline_service;
    std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);

    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
        die("socketpair");
    const unique_fd peer(ends[0]);
    unique_fd ours(ends[1]);

    lacme::uv::loop loop;
    bool finished = false;
    {
        auto stream = lacme::uv::make_handle<uv_stream_t>(UV_NAMED_PIPE);
        if (uv_pipe_init(loop.get(), reinterpret_cast<uv_pipe_t*>(stream.get()), 0) != 0 ||
            uv_pipe_open(reinterpret_cast<uv_pipe_t*>(stream.get()), ours.get()) != 0)
            die("uv_pipe_open");
        (void)ours.release();
        auto conn = std::make_unique<connection>(service, service.fallback_tenant(), "fuzz", std::move(stream), nullptr,
                                                 connection::options{std::chrono::seconds(0), s.read_buffer},
                                                 [&finished](connection&, bool) { finished = true; });
        conn->start();

        std::string out;
        bool open = true;
        int stalls = 0;
        while (!data.empty() && open && !finished) {
            const std::size_t n = std::min(chunk, data.size());
            const ssize_t w = ::send(peer.get(), data.data(), n, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w > 0) {
                data.remove_prefix(static_cast<std::size_t>(w));
                stalls = 0;
            } else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                break;  // the connection closed on us (refusal): fine
            } else if (++stalls > 1000) {
                break;  // it stopped reading (backlog full) while we do not read
            }
            loop.run_nowait();
            if (read_while_writing || stalls > 0)
                open = drain(peer.get(), out);
        }
        ::shutdown(peer.get(), SHUT_WR);
        // `finished` is set by the connection's callback, from run_nowait().
        int rounds = 0;
        while (!finished) {
            if (++rounds > 100'000)
                std::abort();  // neither answered nor finished after our FIN
            loop.run_nowait();
            drain(peer.get(), out);
        }
        conn.reset();  // closes the stream; the loop's destructor runs the close callbacks
        loop.run_nowait();
        while (drain(peer.get(), out))
            loop.run_nowait();
        check_output(out, service.greeting());
    }
    return 0;
}
