#include "master/accountd_relay.hpp"

#include "scripted_master.hpp"
#include "common/fd_io.hpp"
#include "common/fd_pair.hpp"
#include "common/uv/loop.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <signal.h>

using lacme::unique_fd;
using lacme::master::accountd_relay;
using lacme::test::run_until;
namespace utf = boost::unit_test;

namespace {

const std::string greeting = "version 1 lacme-accountd\r\n{\"alg\":\"ES256\"}\n";  // framing kept verbatim

// One end of a socket as the test sees it: what arrived so far, and whether it was closed.
struct endpoint {
    unique_fd fd;
    std::string received;
    bool closed = false;

    void send(std::string_view bytes) const { lacme::write_all(fd.get(), bytes, "test socket"); }
    // Takes what is there without waiting; true once `expected` has arrived.
    bool has(std::string_view expected)
    {
        poll_once();
        return received == expected;
    }
    bool at_eof()
    {
        poll_once();
        return closed;
    }

private:
    void poll_once()
    {
        char buf[4096];
        for (;;) {
            const ssize_t n = ::recv(fd.get(), buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) {
                received.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            closed = closed || n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
            return;
        }
    }
};

// A relay whose accountd is the test.
struct relay_fixture {
    relay_fixture()
    {
        ::signal(SIGPIPE, SIG_IGN);  // as master_loop does
        auto [ours, theirs] = lacme::make_socket_pair();
        accountd.fd = std::move(theirs);
        relay.emplace(loop.get(), std::move(ours), [this](const std::string& m) { logged += m + "\n"; });
    }
    endpoint attach()
    {
        endpoint client;
        client.fd = relay->attach_client();
        return client;
    }
    template <class Done>
    bool run(Done done)
    {
        return run_until(loop.get(), done);
    }

    lacme::uv::loop loop;
    endpoint accountd;
    std::string logged;
    std::optional<accountd_relay> relay;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(master_accountd_relay, relay_fixture)

BOOST_AUTO_TEST_CASE(every_client_gets_the_greeting_verbatim_before_or_after_it_arrives, *utf::timeout(30))
{
    endpoint early = attach();
    accountd.send(greeting);
    BOOST_TEST(run([&] { return early.has(greeting); }));
    endpoint late = attach();
    BOOST_TEST(run([&] { return late.has(greeting); }));
}

BOOST_AUTO_TEST_CASE(answers_go_back_to_the_client_whose_request_went_out, *utf::timeout(30))
{
    accountd.send(greeting);
    endpoint first = attach();
    endpoint second = attach();
    BOOST_TEST_REQUIRE(run([&] { return first.has(greeting) && second.has(greeting); }));
    second.send("request-2\r\n");
    BOOST_TEST_REQUIRE(run([&] { return accountd.has("request-2\r\n"); }));
    first.send("request-1a\r\nrequest-1b\n");
    BOOST_TEST_REQUIRE(run([&] { return accountd.has("request-2\r\nrequest-1a\r\nrequest-1b\n"); }));
    accountd.send("answer-2\r\nanswer-1a\r\n");
    accountd.send("answer-1b\r\n");
    BOOST_TEST(run([&] { return second.has(greeting + "answer-2\r\n"); }));
    BOOST_TEST(run([&] { return first.has(greeting + "answer-1a\r\nanswer-1b\r\n"); }));
    BOOST_TEST(relay->requests_relayed() == 3U);
    BOOST_TEST(!relay->failure().has_value());
}

// A client gone with its request unanswered: the answer is dropped, the next one still reaches
// its own client.
BOOST_AUTO_TEST_CASE(the_answer_of_a_client_gone_is_dropped, *utf::timeout(30))
{
    accountd.send(greeting);
    endpoint gone = attach();
    endpoint staying = attach();
    gone.send("request-gone\r\n");
    BOOST_TEST_REQUIRE(run([&] { return accountd.has("request-gone\r\n"); }));
    gone.fd.reset();
    staying.send("request-staying\r\n");
    BOOST_TEST_REQUIRE(run([&] { return accountd.has("request-gone\r\nrequest-staying\r\n"); }));
    accountd.send("answer-gone\r\nanswer-staying\r\n");
    BOOST_TEST(run([&] { return staying.has(greeting + "answer-staying\r\n"); }));
    BOOST_TEST(!relay->failure().has_value());
}

BOOST_AUTO_TEST_CASE(accountd_closing_ends_every_client_and_is_the_failure, *utf::timeout(30))
{
    accountd.send(greeting);
    endpoint client = attach();
    BOOST_TEST_REQUIRE(run([&] { return client.has(greeting); }));
    accountd.fd.reset();
    BOOST_TEST(run([&] { return client.at_eof(); }));
    BOOST_TEST(relay->failure().value_or("") == "accountd closed the connection");
    BOOST_TEST(logged == "accountd closed the connection\n");
    endpoint later = attach();
    BOOST_TEST(run([&] { return later.at_eof(); }));
    BOOST_TEST(later.received.empty());
}

BOOST_AUTO_TEST_CASE(an_answer_nobody_asked_for_ends_the_relay, *utf::timeout(30))
{
    endpoint client = attach();
    accountd.send(greeting + "unasked\r\n");
    BOOST_TEST_REQUIRE(run([&] { return relay->failure().has_value(); }));
    BOOST_TEST(*relay->failure() == "accountd sent an answer nobody asked for");
    BOOST_TEST(run([&] { return client.at_eof(); }));
    BOOST_TEST(run([&] { return accountd.at_eof(); }));
}

BOOST_AUTO_TEST_SUITE_END()
