// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the whole connection state machine (parsing, pipelining, batching, keep-alive limits,
// linger, half-close) through a real server on a UNIX socket, single-threaded: the harness is
// the client and turns the loop itself. Input: first byte picks the write chunk size and
// whether the client reads while writing; the rest is the byte stream. Every stream ends with
// the client's FIN, after which the server must answer what it can and close: a server that
// never closes is a bug (abort).
#include "webserver/server.hpp"

#include "common/unique_fd.hpp"
#include "common/uv/loop.hpp"
#include "test/support/temp_dir.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
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

using lacme::unique_fd;
using namespace lacme::web;

namespace {

[[noreturn]] void die(const char* what)
{
    std::fprintf(stderr, "harness: %s: %s\n", what, std::strerror(errno));
    std::abort();
}

// One server for the whole fuzzing session; a fresh connection per input.
struct harness {
    harness()
    {
        for (const auto& [name, content] :
             {std::pair<const char*, std::string>{"tok", "tok.thumb"}, {"A", std::string(70'000, 'a')}, {"b-_1", ""}})
            lacme::test::write_file(dir.file(name), content);
        if (::symlink("/etc/passwd", dir.file("link").c_str()) != 0)
            die("symlink");
        dir_fd = unique_fd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!dir_fd)
            die("open challenge directory");

        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", dir.file("sock").c_str());
        unique_fd l(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!l || ::bind(l.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(l.get(), 16) != 0)
            die("listen");
        server_config cfg;
        cfg.dir_fd = dir_fd.get();
        cfg.max_requests_per_connection = 20;
        srv = std::make_unique<server>(loop.get(), l.release(), socket_kind::unix_stream, cfg);
        srv->start();
    }
    harness(const harness&) = delete;
    harness& operator=(const harness&) = delete;
    ~harness() = default;  // the server stops, the loop runs its last callbacks, the files go

    lacme::test::temp_dir dir;
    unique_fd dir_fd;
    sockaddr_un addr{};
    lacme::uv::loop loop;  // runs the server's last close callbacks when destroyed
    std::unique_ptr<server> srv;
};

harness& get_harness()
{
    static harness h;  // libFuzzer runs inputs one after another in this process
    return h;
}

// Reads what is available; false once the server has closed.
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

void check_responses(std::string_view out)
{
    // Whatever the input, the output is a sequence of well-formed responses.
    while (!out.empty()) {
        if (!out.starts_with("HTTP/1.1 "))
            std::abort();
        const std::size_t end = out.find("\r\n\r\n");
        if (end == std::string_view::npos)
            std::abort();
        const std::string_view head = out.substr(0, end + 4);
        const std::size_t cl = head.find("\r\nContent-Length: ");
        if (cl == std::string_view::npos)
            std::abort();
        const std::size_t length = std::strtoull(head.data() + cl + 18, nullptr, 10);
        out.remove_prefix(head.size());
        // HEAD answers carry the length without the body; a body never starts with our status
        // line, so take the body only when it does not look like the next response.
        if (length > 0 && !out.starts_with("HTTP/1.1 ")) {
            if (out.size() < length)
                std::abort();
            out.remove_prefix(length);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
    if (size == 0)
        return 0;
    harness& h = get_harness();
    const std::size_t chunk = 1 + (bytes[0] & 0x3f) * ((bytes[0] & 0x40) ? 64 : 1);
    const bool read_while_writing = bytes[0] & 0x80;
    std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);

    const unique_fd c(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!c)
        die("socket");
    if (::connect(c.get(), reinterpret_cast<const sockaddr*>(&h.addr), sizeof h.addr) != 0)
        die("connect");
    std::string out;
    bool open = true;
    int stalls = 0;
    while (!data.empty() && open) {
        const std::size_t n = std::min(chunk, data.size());
        const ssize_t w = ::send(c.get(), data.data(), n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            data.remove_prefix(static_cast<std::size_t>(w));
            stalls = 0;
        } else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            break;  // the server closed on us (error answer, limits): fine
        } else if (++stalls > 1000) {
            break;  // server stopped reading (pending-input limit) while we do not read
        }
        h.loop.run_nowait();
        if (read_while_writing || stalls > 0)
            open = drain(c.get(), out);
    }
    ::shutdown(c.get(), SHUT_WR);
    for (int i = 0; open; ++i) {
        if (i > 100'000)
            std::abort();  // the server neither answered nor closed after our FIN
        h.loop.run_nowait();
        open = drain(c.get(), out);
    }
    check_responses(out);
    // Let the server finish closing its side before the next input.
    for (int i = 0; i < 4; ++i)
        h.loop.run_nowait();
    return 0;
}
