// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/stream.hpp"

#include "common/uv/loop.hpp"

#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <optional>
#include <string>
#include <thread>

namespace uv = lacme::uv;
using lacme::unique_fd;

namespace {

struct socket_pair {
    unique_fd ours;
    unique_fd theirs;
};

socket_pair make_pair()
{
    int fds[2];
    BOOST_REQUIRE_EQUAL(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    return {unique_fd(fds[0]), unique_fd(fds[1])};
}

// Everything the peer reads until end of stream, read by a thread while the loop runs.
class peer_reader {
public:
    explicit peer_reader(int fd)
        : thread_([this, fd] {
              char buf[65536];
              ssize_t n;
              while ((n = ::read(fd, buf, sizeof buf)) > 0)
                  bytes_.append(buf, static_cast<std::size_t>(n));
          })
    {}
    const std::string& finish()
    {
        thread_.join();
        return bytes_;
    }

private:
    std::string bytes_;
    std::thread thread_;
};

// Writes to a peer that has gone away must fail with EPIPE, not kill the test.
struct ignore_sigpipe {
    ignore_sigpipe() { std::signal(SIGPIPE, SIG_IGN); }
    ~ignore_sigpipe() { std::signal(SIGPIPE, SIG_DFL); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(uv_stream)

BOOST_AUTO_TEST_CASE(reads_arrive_in_chunks_then_end_of_stream_once)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    auto s = uv::stream::open(loop.get(), std::move(ours), 1024);
    std::string received;
    std::optional<int> ended;
    int ends = 0;
    BOOST_REQUIRE_EQUAL(s.start_reading([&](std::string_view b) { received.append(b); },
                                        [&](int status) {
                                            ended = status;
                                            ++ends;
                                        }),
                        0);
    BOOST_REQUIRE_EQUAL(::write(theirs.get(), "hello\r\n", 7), 7);
    theirs.reset();
    loop.run();
    BOOST_TEST(received == "hello\r\n");
    BOOST_TEST(ends == 1);
    BOOST_TEST(ended.value_or(-1) == 0);
}

// A client's stderr lines must be taken in before its answer on another stream is acted on.
BOOST_AUTO_TEST_CASE(read_ready_bytes_hands_on_what_is_readable_without_the_loop)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    auto s = uv::stream::open(loop.get(), std::move(ours), 1024);
    s.read_ready_bytes();  // not reading yet: nothing to hand to
    std::string received;
    int ends = 0;
    BOOST_REQUIRE_EQUAL(s.start_reading([&](std::string_view b) { received.append(b); }, [&](int) { ++ends; }), 0);
    s.read_ready_bytes();  // nothing readable: returns at once
    BOOST_TEST(received.empty());
    BOOST_REQUIRE_EQUAL(::write(theirs.get(), "Error: one\n", 11), 11);
    s.read_ready_bytes();
    BOOST_TEST(received == "Error: one\n");
    BOOST_REQUIRE_EQUAL(::write(theirs.get(), "two\n", 4), 4);
    theirs.reset();
    loop.run();  // the rest, and the end, come through the loop as before
    BOOST_TEST(received == "Error: one\ntwo\n");
    BOOST_TEST(ends == 1);
}

BOOST_AUTO_TEST_CASE(end_flushes_queued_writes_then_the_peer_sees_end_of_stream)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    auto s = uv::stream::open(loop.get(), std::move(ours), 8 << 20);
    peer_reader peer(theirs.get());
    const std::string big(4 << 20, 'x');  // more than the socket buffer: queued in libuv
    int written = 0;
    bool ended = false;
    s.on_write_done([&] { ++written; }, [](int) { BOOST_FAIL("write failed"); });
    BOOST_REQUIRE(s.write("first "));
    BOOST_REQUIRE(s.write(big));
    s.end([&] { ended = true; });
    BOOST_TEST(!s.is_open());
    BOOST_TEST(!s.write("too late"));
    loop.run();
    BOOST_TEST(peer.finish() == "first " + big);
    BOOST_TEST(written == 2);
    BOOST_TEST(ended);
}

BOOST_AUTO_TEST_CASE(queued_writes_outlive_the_object_and_are_delivered)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    peer_reader peer(theirs.get());
    const std::string big(4 << 20, 'y');
    bool called = false;
    {
        auto s = uv::stream::open(loop.get(), std::move(ours), 8 << 20);
        s.on_write_done([&] { called = true; }, [&](int) { called = true; });
        BOOST_REQUIRE(s.write(big));
    }
    loop.run();
    BOOST_TEST(peer.finish() == big);
    BOOST_TEST(!called);  // the owner is gone: nothing calls back into it
    BOOST_TEST(!uv_loop_alive(loop.get()));
}

BOOST_AUTO_TEST_CASE(the_write_queue_is_bounded)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    auto s = uv::stream::open(loop.get(), std::move(ours), 300'000);
    // Nobody reads: the first write fills the socket buffer and waits in libuv's queue.
    BOOST_REQUIRE(s.write(std::string(200'000, 'a')));
    BOOST_TEST(!s.write(std::string(200'000, 'b')));
    BOOST_TEST(s.write(std::string(100'000, 'c')));
    BOOST_TEST(s.unsent_bytes() > 0u);
    s.close();
    loop.run();
}

BOOST_AUTO_TEST_CASE(a_write_to_a_peer_that_is_gone_reports_the_error)
{
    const ignore_sigpipe guard;
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    theirs.reset();
    auto s = uv::stream::open(loop.get(), std::move(ours), 1024);
    std::optional<int> failed;
    s.on_write_done([] {}, [&](int status) { failed = status; });
    if (s.write("answer\r\n"))  // libuv may also refuse at once
        loop.run();
    else
        failed = UV_EPIPE;
    BOOST_TEST(failed.value_or(0) == UV_EPIPE);
}

BOOST_AUTO_TEST_CASE(close_drops_queued_writes_without_calling_back)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    auto s = uv::stream::open(loop.get(), std::move(ours), 8 << 20);
    int callbacks = 0;
    s.on_write_done([&] { ++callbacks; }, [&](int) { ++callbacks; });
    BOOST_REQUIRE(s.write(std::string(4 << 20, 'z')));
    s.close();
    s.close();
    BOOST_TEST(!s.is_open());
    loop.run();
    BOOST_TEST(callbacks == 0);
    BOOST_TEST(!uv_loop_alive(loop.get()));
}

BOOST_AUTO_TEST_CASE(the_owner_may_destroy_the_stream_from_its_data_callback)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    std::optional<uv::stream> s = uv::stream::open(loop.get(), std::move(ours), 1024);
    int chunks = 0;
    BOOST_REQUIRE_EQUAL(s->start_reading(
                            [&](std::string_view) {
                                ++chunks;
                                s.reset();
                            },
                            [](int) { BOOST_FAIL("end after destruction"); }),
                        0);
    BOOST_REQUIRE_EQUAL(::write(theirs.get(), "x", 1), 1);
    loop.run();
    BOOST_TEST(chunks == 1);
    BOOST_TEST(!uv_loop_alive(loop.get()));
}

BOOST_AUTO_TEST_CASE(an_unreferenced_reader_does_not_keep_the_loop_running)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    auto s = uv::stream::open(loop.get(), std::move(ours), 1024);
    BOOST_REQUIRE_EQUAL(s.start_reading([](std::string_view) {}, [](int) {}), 0);
    s.unref();
    loop.run();  // returns although nothing was read: the test would hang otherwise
    BOOST_TEST(s.is_open());
}

BOOST_AUTO_TEST_CASE(shutdown_sends_end_of_stream_after_the_writes_and_reading_goes_on)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    auto s = uv::stream::open(loop.get(), std::move(ours), 1024);
    std::string received;
    std::optional<int> shut, ended;
    BOOST_REQUIRE_EQUAL(
        s.start_reading([&](std::string_view b) { received.append(b); }, [&](int status) { ended = status; }), 0);
    BOOST_REQUIRE(s.write("response"));
    BOOST_REQUIRE(s.shutdown([&](int status) { shut = status; }));
    BOOST_TEST(!s.shutdown([](int) {}));  // one at a time
    loop.run_nowait();
    loop.run_nowait();
    // The peer has the response and our end of stream, and may still send its last bytes.
    char buf[64];
    BOOST_REQUIRE_EQUAL(::read(theirs.get(), buf, sizeof buf), 8);
    BOOST_TEST(std::string(buf, 8) == "response");
    BOOST_TEST(::read(theirs.get(), buf, sizeof buf) == 0);
    BOOST_REQUIRE_EQUAL(::write(theirs.get(), "late", 4), 4);
    theirs.reset();
    loop.run();
    BOOST_TEST(shut.value_or(-1) == 0);
    BOOST_TEST(received == "late");
    BOOST_TEST(ended.value_or(-1) == 0);
    s.close();
    loop.run();
}

BOOST_AUTO_TEST_CASE(the_closed_callback_runs_once_libuv_is_done_and_may_destroy_the_stream)
{
    uv::loop loop;
    auto [ours, theirs] = make_pair();
    std::optional<uv::stream> s = uv::stream::open(loop.get(), std::move(ours), 1024);
    int closed = 0;
    s->close([&] {
        ++closed;
        s.reset();
    });
    s->close([&] { ++closed; });  // already closing: ignored
    BOOST_TEST(closed == 0);
    loop.run();
    BOOST_TEST(closed == 1);
    BOOST_TEST(!s.has_value());
}

BOOST_AUTO_TEST_CASE(reset_closes_a_tcp_stream_with_a_reset)
{
    uv::loop loop;
    // A connected TCP pair on loopback: a listener, a client socket, the accepted stream.
    const unique_fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    BOOST_REQUIRE_EQUAL(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    BOOST_REQUIRE_EQUAL(::listen(listener.get(), 1), 0);
    BOOST_REQUIRE_EQUAL(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len), 0);
    const unique_fd peer(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    BOOST_REQUIRE_EQUAL(::connect(peer.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    auto tcp = uv::make_handle<uv_stream_t>(UV_TCP);
    BOOST_REQUIRE_EQUAL(uv_tcp_init(loop.get(), reinterpret_cast<uv_tcp_t*>(tcp.get())), 0);
    BOOST_REQUIRE_EQUAL(
        uv_tcp_open(reinterpret_cast<uv_tcp_t*>(tcp.get()), ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC)),
        0);
    uv::stream s(std::move(tcp), 1024);
    bool closed = false;
    BOOST_REQUIRE(s.reset([&] { closed = true; }));
    BOOST_TEST(!s.is_open());
    loop.run();
    BOOST_TEST(closed);
    char c;
    BOOST_TEST(::read(peer.get(), &c, 1) == -1);
    BOOST_TEST(errno == ECONNRESET);
}

BOOST_AUTO_TEST_CASE(opening_a_bad_fd_is_an_error)
{
    uv::loop loop;
    BOOST_CHECK_THROW((void)uv::stream::open(loop.get(), unique_fd(-1), 1024), std::exception);
    loop.run();
}

BOOST_AUTO_TEST_SUITE_END()
