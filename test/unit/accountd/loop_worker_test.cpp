// SPDX-License-Identifier: GPL-3.0-or-later
// accountd's event-loop actors in-process: a loop_worker accepting on a UNIX socket, its loop on
// a thread, its connections driven by a test peer over real sockets. Short idle timeouts and a
// small connection cap make each case take well under a few seconds.
#include "accountd/serving/loop_worker.hpp"

#include "fixed_signer.hpp"
#include "common/ignore_sigpipe.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>

using lacme::unique_fd;
using lacme::accountd::loop_worker;
using lacme::accountd::signing_service;
using lacme::accountd::worker_pool_state;
using lacme::test::fixed_signature_line;
using lacme::test::fixed_signer;
using lacme::test::valid_line;
namespace utf = boost::unit_test;
using namespace std::chrono_literals;

namespace {

// One daemon worker serving a UNIX socket from a thread; stopped and joined on destruction.
class running_worker {
public:
    // relay: the socket is a relay socket whose headers may name listener "web1".
    running_worker(std::size_t max_connections, std::chrono::seconds idle_timeout, bool relay = false)
        : service_(key_, log_, std::nullopt), pool_(max_connections, idle_timeout), worker_(service_, pool_)
    {
        lacme::ignore_sigpipe();  // as accountd's main does
        address_.sun_family = AF_UNIX;
        std::snprintf(address_.sun_path, sizeof address_.sun_path, "%s", dir_.file("socket").c_str());
        listener_ = unique_fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        BOOST_REQUIRE(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address_), sizeof address_) == 0);
        BOOST_REQUIRE(::listen(listener_.get(), 16) == 0);
        if (relay) {
            relays_.emplace("web1", lacme::accountd::tenant{nullptr, "relayed"});
            pool_.relays = &relays_;
            worker_.accept_on({{listener_.get(), "relay", std::nullopt}}, {&worker_});
        } else {
            worker_.accept_on(listener_.get(), {&worker_});
        }
        thread_ = std::thread([this] { worker_.run(); });
    }
    running_worker(const running_worker&) = delete;
    running_worker& operator=(const running_worker&) = delete;
    ~running_worker()
    {
        worker_.request_stop();
        thread_.join();
    }

    [[nodiscard]] unique_fd connect() const
    {
        unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        BOOST_REQUIRE(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address_), sizeof address_) == 0);
        return fd;
    }
    [[nodiscard]] const std::string& greeting() const noexcept { return service_.greeting(); }

private:
    lacme::test::temp_dir dir_;
    fixed_signer key_;
    lacme::logger log_{lacme::log_level::info};
    signing_service service_;
    lacme::accountd::relay_directory relays_;
    worker_pool_state pool_;
    loop_worker worker_;
    sockaddr_un address_{};
    unique_fd listener_;
    std::thread thread_;
};

void send_text(int fd, std::string_view text)
{
    BOOST_REQUIRE(::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
}

// What arrives within `limit`, up to `expected` bytes (all of it once the peer closed); eof is
// set when the other side closed.
std::string receive(int fd, std::size_t expected, std::chrono::milliseconds limit, bool* eof = nullptr)
{
    std::string out;
    const auto end = std::chrono::steady_clock::now() + limit;
    while (out.size() < expected) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            break;
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            if (eof)
                *eof = true;
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

// Whether the peer closed within limit, after whatever it still had to send.
bool closed_within(int fd, std::chrono::milliseconds limit)
{
    bool eof = false;
    receive(fd, SIZE_MAX, limit, &eof);
    return eof;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(accountd_loop_worker)

// On a relay socket: the header and the first requests in one write (what follows the header
// is not lost), a header naming no listener and a malformed one are answered with NOSIGN.
BOOST_AUTO_TEST_CASE(relay_socket_header_then_requests, *utf::timeout(30))
{
    const running_worker daemon(4, 10s, true);
    const unique_fd peer = daemon.connect();
    send_text(peer.get(), "lacme-relay 1 web1 192.0.2.1 4000 - -\n" + valid_line() + "\r\n" + valid_line() + "\r\n");
    const std::string expected = daemon.greeting() + fixed_signature_line + fixed_signature_line;
    BOOST_TEST(receive(peer.get(), expected.size(), 5s) == expected);
    ::shutdown(peer.get(), SHUT_WR);
    BOOST_TEST(closed_within(peer.get(), 5s));

    const unique_fd unknown = daemon.connect();
    send_text(unknown.get(), "lacme-relay 1 web2 - - - -\n");
    bool eof = false;
    BOOST_TEST(receive(unknown.get(), SIZE_MAX, 5s, &eof) == "NOSIGN no listener web2\n");
    BOOST_TEST(eof);

    const unique_fd garbage = daemon.connect();
    send_text(garbage.get(), "1 OK {}\r\n");
    eof = false;
    BOOST_TEST(receive(garbage.get(), SIZE_MAX, 5s, &eof) == "NOSIGN not a relay header\n");
    BOOST_TEST(eof);

    // A header that never ends is cut at its bound.
    const unique_fd endless = daemon.connect();
    std::string partial = "lacme-relay 1 web1 - - ssh-ed25519 ";
    partial += std::string(lacme::accountd::max_relay_header, 'A');
    (void)::send(endless.get(), partial.data(), partial.size(), MSG_NOSIGNAL);
    eof = false;
    BOOST_TEST(receive(endless.get(), SIZE_MAX, 5s, &eof) == "NOSIGN relay header too long\n");
    BOOST_TEST(eof);
}

// A request that arrives in pieces is answered once its CRLF is there, not before.
BOOST_AUTO_TEST_CASE(a_request_in_pieces_is_answered_when_complete, *utf::timeout(30))
{
    const running_worker daemon(4, 10s);
    const unique_fd peer = daemon.connect();
    BOOST_TEST(receive(peer.get(), daemon.greeting().size(), 5s) == daemon.greeting());
    const std::string line = valid_line();
    send_text(peer.get(), line.substr(0, 10));
    send_text(peer.get(), line.substr(10) + "\r");
    BOOST_TEST(receive(peer.get(), 1, 200ms).empty());
    send_text(peer.get(), "\n" + line + "\r\n" + line.substr(0, 5));
    BOOST_TEST(receive(peer.get(), 2 * fixed_signature_line.size(), 5s) == fixed_signature_line + fixed_signature_line);
    // The peer's end of input with half a request pending: the connection ends.
    ::shutdown(peer.get(), SHUT_WR);
    BOOST_TEST(closed_within(peer.get(), 5s));
}

// A refused line (lacme 0.8: a bare LF) still gets the answers to the requests before it, then
// the connection closes without reading what follows.
BOOST_AUTO_TEST_CASE(a_refused_line_is_answered_by_closing, *utf::timeout(30))
{
    const running_worker daemon(4, 10s);
    const unique_fd peer = daemon.connect();
    BOOST_TEST(receive(peer.get(), daemon.greeting().size(), 5s) == daemon.greeting());
    send_text(peer.get(), valid_line() + "\r\n" + valid_line() + "\n" + valid_line() + "\r\n");
    bool eof = false;
    BOOST_TEST(receive(peer.get(), SIZE_MAX, 5s, &eof) == fixed_signature_line);
    BOOST_TEST(eof);
}

// A peer that neither sends a whole request nor takes our output is dropped after the idle
// timeout, however much it pipelined first.
BOOST_AUTO_TEST_CASE(a_peer_that_never_reads_is_dropped_after_the_idle_timeout, *utf::timeout(60))
{
    const running_worker daemon(4, 1s);
    const unique_fd peer = daemon.connect();
    std::string requests;
    for (int i = 0; i < 4000; ++i)
        requests += valid_line() + "\r\n";
    const auto start = std::chrono::steady_clock::now();
    // Sends until the daemon stops reading (its output is not taken), without blocking.
    for (std::string_view rest = requests; !rest.empty();) {
        const ssize_t n = ::send(peer.get(), rest.data(), rest.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0)
            break;
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    std::this_thread::sleep_for(1500ms);  // idle: nothing read, nothing more sent
    BOOST_TEST(closed_within(peer.get(), 10s));
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 1s));
}

BOOST_AUTO_TEST_CASE(a_silent_peer_is_dropped_after_the_idle_timeout, *utf::timeout(30))
{
    const running_worker daemon(4, 1s);
    const unique_fd peer = daemon.connect();
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(closed_within(peer.get(), 10s));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    BOOST_TEST(took.count() >= 900);
}

// At the cap a new peer waits in the backlog, unserved, until a connection closes.
BOOST_AUTO_TEST_CASE(a_peer_beyond_the_cap_waits_for_a_free_slot, *utf::timeout(30))
{
    const running_worker daemon(1, 10s);
    unique_fd first = daemon.connect();
    BOOST_TEST(receive(first.get(), daemon.greeting().size(), 5s) == daemon.greeting());
    const unique_fd second = daemon.connect();
    BOOST_TEST(receive(second.get(), 1, 300ms).empty());
    first.reset();
    BOOST_TEST(receive(second.get(), daemon.greeting().size(), 5s) == daemon.greeting());
    send_text(second.get(), valid_line() + "\r\n");
    BOOST_TEST(receive(second.get(), fixed_signature_line.size(), 5s) == fixed_signature_line);
}

BOOST_AUTO_TEST_SUITE_END()
