// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/handle.hpp"
#include "common/uv/loop.hpp"

#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace uv = lacme::uv;

namespace {

// Records which handles' closed callbacks ran, in order.
struct closed_log {
    std::vector<int> ids;
};

struct tagged {
    closed_log* log;
    int id;
};

void record_closed(void* data)
{
    auto* t = static_cast<tagged*>(data);
    t->log->ids.push_back(t->id);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(uv_handle)

BOOST_AUTO_TEST_CASE(closed_callback_runs_from_the_loop_not_before)
{
    uv::loop loop;
    closed_log log;
    tagged tag{&log, 7};
    auto timer = uv::make_handle<uv_timer_t>();
    BOOST_REQUIRE_EQUAL(uv_timer_init(loop.get(), timer.get()), 0);
    timer->data = &tag;
    uv::close(std::move(timer), record_closed);
    BOOST_TEST(log.ids.empty());
    loop.run();
    BOOST_TEST(log.ids == std::vector<int>{7});
    BOOST_TEST(!uv_loop_alive(loop.get()));
}

BOOST_AUTO_TEST_CASE(resetting_an_active_handle_closes_it)
{
    uv::loop loop;
    auto timer = uv::make_handle<uv_timer_t>();
    BOOST_REQUIRE_EQUAL(uv_timer_init(loop.get(), timer.get()), 0);
    BOOST_REQUIRE_EQUAL(uv_timer_start(
                            timer.get(), [](uv_timer_t*) {}, 60'000, 0),
                        0);
    BOOST_TEST(uv_loop_alive(loop.get()));
    timer.reset();
    loop.run();  // returns at once: nothing left active, the close callback freed the handle
    BOOST_TEST(!uv_loop_alive(loop.get()));
}

BOOST_AUTO_TEST_CASE(a_handle_never_initialised_is_freed_without_a_loop)
{
    // Under ASan a leak or a bad free here fails the test run.
    auto signal = uv::make_handle<uv_signal_t>();
    BOOST_TEST(signal->loop == nullptr);
    signal.reset();
    closed_log log;
    tagged tag{&log, 1};
    auto timer = uv::make_handle<uv_timer_t>();
    timer->data = &tag;
    uv::close(std::move(timer), record_closed);
    BOOST_TEST(log.ids.empty());  // nothing was open, so nothing to report
}

BOOST_AUTO_TEST_CASE(a_stream_is_sized_for_its_type)
{
    uv::loop loop;
    closed_log log;
    tagged tcp_tag{&log, 1};
    tagged pipe_tag{&log, 2};
    auto tcp = uv::make_handle<uv_stream_t>(UV_TCP);
    auto pipe = uv::make_handle<uv_stream_t>(UV_NAMED_PIPE);
    BOOST_REQUIRE_EQUAL(uv_tcp_init(loop.get(), reinterpret_cast<uv_tcp_t*>(tcp.get())), 0);
    BOOST_REQUIRE_EQUAL(uv_pipe_init(loop.get(), reinterpret_cast<uv_pipe_t*>(pipe.get()), 0), 0);
    BOOST_TEST(uv::as_handle(tcp.get())->type == UV_TCP);
    BOOST_TEST(uv::as_handle(pipe.get())->type == UV_NAMED_PIPE);
    tcp->data = &tcp_tag;
    pipe->data = &pipe_tag;
    uv::close(std::move(tcp), record_closed);
    uv::close(std::move(pipe), record_closed);
    loop.run();
    std::sort(log.ids.begin(), log.ids.end());  // libuv runs close callbacks in no promised order
    BOOST_TEST(log.ids == (std::vector<int>{1, 2}));
}

// A connected loopback pair: first the accepted (server) side, then the client side.
std::pair<int, int> tcp_pair()
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    BOOST_REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    BOOST_REQUIRE(::listen(listener, 1) == 0);
    BOOST_REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len) == 0);
    const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    BOOST_REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    const int accepted = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    BOOST_REQUIRE(accepted >= 0);
    ::close(listener);
    return {accepted, client};
}

BOOST_AUTO_TEST_CASE(close_reset_sends_a_reset_and_reports_the_close)
{
    uv::loop loop;
    const auto [accepted, client] = tcp_pair();
    closed_log log;
    tagged tag{&log, 4};
    auto tcp = uv::make_handle<uv_tcp_t>();
    BOOST_REQUIRE_EQUAL(uv_tcp_init(loop.get(), tcp.get()), 0);
    BOOST_REQUIRE_EQUAL(uv_tcp_open(tcp.get(), accepted), 0);
    tcp->data = &tag;
    BOOST_REQUIRE(uv::close_reset(tcp, record_closed));
    BOOST_TEST(!tcp);  // handed over to libuv
    loop.run();
    BOOST_TEST(log.ids == std::vector<int>{4});
    char byte = 0;
    BOOST_TEST(::recv(client, &byte, 1, 0) == -1);
    BOOST_TEST(errno == ECONNRESET);
    ::close(client);
}

BOOST_AUTO_TEST_CASE(close_reset_refused_leaves_the_handle_open_and_owned)
{
    uv::loop loop;
    auto pipe = uv::make_handle<uv_pipe_t>();
    BOOST_REQUIRE_EQUAL(uv_pipe_init(loop.get(), pipe.get(), 0), 0);
    BOOST_TEST(!uv::close_reset(pipe, nullptr));  // not TCP
    BOOST_REQUIRE(pipe);
    BOOST_TEST(!uv_is_closing(uv::as_handle(pipe.get())));
}

BOOST_AUTO_TEST_CASE(the_loop_destructor_runs_pending_close_callbacks)
{
    closed_log log;
    tagged tag{&log, 3};
    {
        uv::loop loop;
        auto timer = uv::make_handle<uv_timer_t>();
        BOOST_REQUIRE_EQUAL(uv_timer_init(loop.get(), timer.get()), 0);
        timer->data = &tag;
        uv::close(std::move(timer), record_closed);
    }
    BOOST_TEST(log.ids == std::vector<int>{3});
}

BOOST_AUTO_TEST_SUITE_END()
