// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/accountd_relay.hpp"

#include "common/fd_pair.hpp"
#include "common/uv/loop.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace lacme;
using namespace lacme::master;
using namespace std::chrono_literals;

namespace {

const std::string greeting = "1 OK {\"alg\":\"ES256\",\"jwk-thumbprint\":\"T\"}\r\n{\"kty\":\"EC\"}\r\n";

// One end of a stream the test reads without blocking: accountd's side of a link, or a client.
struct endpoint {
    explicit endpoint(unique_fd end) : fd(std::move(end)) { ::fcntl(fd.get(), F_SETFL, O_NONBLOCK); }
    void read_available()
    {
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(fd.get(), buffer, sizeof buffer)) > 0)
            received.append(buffer, static_cast<std::size_t>(n));
        if (n == 0)
            closed = true;
    }
    void send(const std::string& text) const
    {
        BOOST_REQUIRE_EQUAL(::write(fd.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
    }
    unique_fd fd;
    std::string received;
    bool closed = false;
};

// A relay whose links are socket pairs: the test plays accountd on links[i].
struct relay_fixture {
    explicit relay_fixture(std::chrono::seconds timeout = 30s)
        : relay(
              loop.get(),
              [this] {
                  auto [ours, theirs] = make_socket_pair();
                  links.push_back(std::make_unique<endpoint>(std::move(theirs)));
                  return accountd_link{std::move(ours), std::nullopt};
              },
              timeout, [this](const std::string& m) { log.push_back(m); })
    {
        // The relay's own handles do not keep the loop alive; this one does while the test runs it.
        BOOST_REQUIRE_EQUAL(uv_timer_init(loop.get(), &keep_alive), 0);
        uv_timer_start(
            &keep_alive, [](uv_timer_t*) {}, 5, 5);
    }
    ~relay_fixture()
    {
        uv_close(reinterpret_cast<uv_handle_t*>(&keep_alive), nullptr);
        uv_run(loop.get(), UV_RUN_NOWAIT);
    }

    std::unique_ptr<endpoint> attach(std::uint64_t& id)
    {
        auto end = relay.attach_client();
        id = end.id;
        return std::make_unique<endpoint>(std::move(end.socket));
    }

    // Runs the loop until done() holds (reading every endpoint between rounds), at most 5 s.
    void run_until(const std::function<bool()>& done, std::vector<endpoint*> clients)
    {
        const auto end = std::chrono::steady_clock::now() + 5s;
        while (!done()) {
            BOOST_REQUIRE(std::chrono::steady_clock::now() < end);
            uv_run(loop.get(), UV_RUN_ONCE);
            for (auto& l : links)
                l->read_available();
            for (auto* c : clients)
                c->read_available();
        }
    }

    uv::loop loop;
    uv_timer_t keep_alive{};
    std::vector<std::unique_ptr<endpoint>> links;
    std::vector<std::string> log;
    accountd_relay relay;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(master_accountd_relay)

BOOST_AUTO_TEST_CASE(dns01_lines_go_to_the_master_not_to_accountd)
{
    relay_fixture f;
    std::vector<std::string> requests;
    std::function<void(std::string)> reply_later;
    bool ended = false;
    auto end = f.relay.attach_client({[&](std::string_view line, std::function<void(std::string)> reply) {
                                          requests.emplace_back(line);
                                          reply_later = std::move(reply);
                                      },
                                      [&] { ended = true; }});
    endpoint client(std::move(end.socket));
    std::uint64_t plain_id = 0;
    auto plain = f.attach(plain_id);  // a client of a run that asked for no dns-01
    f.links[0]->send(greeting);
    f.run_until([&] { return client.received == greeting && plain->received == greeting; }, {&client, plain.get()});
    client.send("dns-01 publish _acme-challenge.example.org V\r\n");
    f.run_until([&] { return requests.size() == 1; }, {&client});
    BOOST_TEST(requests[0] == "dns-01 publish _acme-challenge.example.org V");
    reply_later("dns-01 published");
    f.run_until([&] { return client.received == greeting + "dns-01 published\r\n"; }, {&client});
    plain->send("dns-01 publish _acme-challenge.example.org V\r\n");
    f.run_until([&] { return plain->received == greeting + "dns-01 failed this run did not ask for dns-01\r\n"; },
                {plain.get()});
    client.send("a.b\r\n");  // signing goes on as before
    f.run_until([&] { return f.links[0]->received == "a.b\r\n"; }, {});
    BOOST_TEST(!ended);
    client.fd.reset();
    f.run_until([&] { return ended; }, {});
}

BOOST_AUTO_TEST_CASE(a_refusal_fails_its_client_only_and_the_others_go_out_again_on_a_new_link)
{
    relay_fixture f;
    std::uint64_t refused_id = 0, other_id = 0;
    auto refused = f.attach(refused_id);
    auto other = f.attach(other_id);
    f.links[0]->send(greeting);
    f.run_until([&] { return refused->received == greeting && other->received == greeting; },
                {refused.get(), other.get()});
    refused->send("evil.x\r\n");
    f.run_until([&] { return f.links[0]->received == "evil.x\r\n"; }, {});
    other->send("good.y\r\n");
    f.run_until([&] { return f.links[0]->received == "evil.x\r\ngood.y\r\n"; }, {});
    f.links[0]->send("NOSIGN identifier dns:evil not allowed\n");
    f.links[0]->fd.reset();  // accountd closes after a refusal
    f.run_until([&] { return f.links.size() == 2 && f.links[1]->received == "good.y\r\n"; },
                {refused.get(), other.get()});
    BOOST_TEST(refused->received == greeting + "NOSIGN identifier dns:evil not allowed\n");
    BOOST_TEST(f.relay.failure_of(refused_id).value_or("") ==
               "lacme-accountd refused to sign: identifier dns:evil not allowed");
    f.links[1]->send(greeting + "c2lnbmF0dXJl\r\n");
    f.run_until([&] { return other->received == greeting + "c2lnbmF0dXJl\r\n"; }, {other.get()});
    BOOST_TEST(!f.relay.failure_of(other_id));
    BOOST_TEST(!f.relay.failure());
    BOOST_TEST(f.relay.links_opened() == 2u);
}

BOOST_AUTO_TEST_CASE(a_link_closed_while_idle_is_opened_again_by_the_next_request)
{
    relay_fixture f;
    std::uint64_t id = 0;
    auto client = f.attach(id);
    f.links[0]->send(greeting);
    f.run_until([&] { return client->received == greeting; }, {client.get()});
    f.links[0]->fd.reset();  // accountd's idle timeout
    f.run_until([&] { return !f.log.empty(); }, {});
    client->send("a.b\r\n");
    f.run_until([&] { return f.links.size() == 2 && f.links[1]->received == "a.b\r\n"; }, {});
    f.links[1]->send(greeting + "c2ln\r\n");
    f.run_until([&] { return client->received == greeting + "c2ln\r\n"; }, {client.get()});
    BOOST_TEST(!f.relay.failure_of(id));
}

BOOST_AUTO_TEST_CASE(a_link_that_does_not_answer_fails_its_client_then_gets_one_new_link)
{
    relay_fixture f(1s);
    std::uint64_t first_id = 0, second_id = 0;
    auto first = f.attach(first_id);
    f.links[0]->send(greeting);
    f.run_until([&] { return first->received == greeting; }, {first.get()});
    first->send("a.b\r\n");
    f.run_until([&] { return first->closed; }, {first.get()});
    BOOST_TEST(f.relay.failure_of(first_id).value_or("") == "lacme-accountd did not answer in 1 s");
    BOOST_TEST(!f.relay.failure());

    auto second = f.attach(second_id);
    f.run_until([&] { return second->received == greeting; }, {second.get()});  // replayed
    second->send("c.d\r\n");
    f.run_until([&] { return second->closed; }, {second.get()});  // the new link does not answer either
    BOOST_TEST(f.relay.links_opened() == 2u);
    BOOST_TEST(f.relay.failure().value_or("") == "lacme-accountd did not answer in 1 s");
    BOOST_TEST(f.relay.failure_of(second_id).value_or("") == "lacme-accountd did not answer in 1 s");

    std::uint64_t late_id = 0;
    auto late = f.attach(late_id);
    BOOST_TEST(f.relay.failure_of(late_id).value_or("") == "lacme-accountd did not answer in 1 s");
    BOOST_TEST(f.relay.links_opened() == 2u);
}

BOOST_AUTO_TEST_CASE(a_link_going_away_while_an_answer_is_due_fails_that_client)
{
    relay_fixture f;
    std::uint64_t id = 0;
    auto client = f.attach(id);
    f.links[0]->send(greeting);
    f.run_until([&] { return client->received == greeting; }, {client.get()});
    client->send("a.b\r\n");
    f.run_until([&] { return f.links[0]->received == "a.b\r\n"; }, {});
    f.links[0]->fd.reset();
    f.run_until([&] { return client->closed; }, {client.get()});
    BOOST_TEST(f.relay.failure_of(id).value_or("") == "lacme-accountd went away (closed the connection)");
}

BOOST_AUTO_TEST_CASE(a_new_link_with_another_key_fails_everyone)
{
    relay_fixture f;
    std::uint64_t refused_id = 0, other_id = 0;
    auto refused = f.attach(refused_id);
    auto other = f.attach(other_id);
    f.links[0]->send(greeting);
    f.run_until([&] { return other->received == greeting; }, {refused.get(), other.get()});
    refused->send("evil.x\r\n");
    other->send("good.y\r\n");
    f.run_until([&] { return f.links[0]->received.size() == 16; }, {});
    f.links[0]->send("NOSIGN no\n");
    f.links[0]->fd.reset();
    f.run_until([&] { return f.links.size() == 2 && f.links[1]->received == "good.y\r\n"; }, {});
    f.links[1]->send("1 OK {\"alg\":\"ES256\",\"jwk-thumbprint\":\"OTHER\"}\r\n{\"kty\":\"EC\"}\r\nc2ln\r\n");
    f.run_until([&] { return other->closed; }, {other.get()});
    BOOST_TEST(other->received == greeting);  // never the other key's signature
    BOOST_TEST(f.relay.failure().value_or("") ==
               "lacme-accountd greeted with another account key on its new connection");
    BOOST_TEST(f.relay.failure_of(refused_id).value_or("") == "lacme-accountd refused to sign: no");
}

BOOST_AUTO_TEST_CASE(the_same_key_in_another_member_order_is_the_same_key)
{
    relay_fixture f;
    std::uint64_t refused_id = 0, other_id = 0;
    auto refused = f.attach(refused_id);
    auto other = f.attach(other_id);
    f.links[0]->send(greeting);
    f.run_until([&] { return other->received == greeting; }, {refused.get(), other.get()});
    refused->send("evil.x\r\n");
    other->send("good.y\r\n");
    f.run_until([&] { return f.links[0]->received.size() == 16; }, {});
    f.links[0]->send("NOSIGN no\n");
    f.links[0]->fd.reset();
    f.run_until([&] { return f.links.size() == 2 && f.links[1]->received == "good.y\r\n"; }, {});
    // Perl's accountd orders its greeting's members differently on each start.
    f.links[1]->send("1 OK {\"jwk-thumbprint\":\"T\",\"alg\":\"ES256\"}\r\n{\"kty\":\"EC\"}\r\nc2ln\r\n");
    f.run_until([&] { return other->received == greeting + "c2ln\r\n"; }, {other.get()});
    BOOST_TEST(!f.relay.failure());
}

BOOST_AUTO_TEST_SUITE_END()
