// SPDX-License-Identifier: GPL-3.0-or-later
// newOrders clients on the master's loop (master/batch_order_runner.hpp, batch_client_run.hpp)
// with a shell script as the client: one queue shared by at most max_clients processes, a
// section's error answer is that section's failure, and a client that breaks the framing or
// dies fails the order it was on while another client takes the rest.
#include "master/batch_order_runner.hpp"

#include "scripted_master.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <sstream>

using lacme::master::batch_order_runner;
using lacme::master::client_result;
using lacme::test::read_file;
using lacme::test::scripted_master;
using lacme::test::write_file;
namespace utf = boost::unit_test;

namespace {

// Logs each start, then answers each request by its section's name: "bad" an error, "liar" for
// another section, "dies" not at all (exit 3); others the chain "PEM <section>".
std::string fake_client(const scripted_master& m)
{
    return "[ \"$1\" = newOrders ] || exit 9\n"
           "echo started >>" +
           m.dir.file("starts") +
           "\n"
           "while IFS= read -r line; do\n"
           "  s=$(printf '%s' \"$line\" | sed 's/.*\"section\":\"\\([^\"]*\\)\".*/\\1/')\n"
           "  case $s in\n"
           "    bad) echo \"Error: refused $s\" >&2; printf '{\"section\":\"%s\",\"error\":\"refused %s\"}\\n' \"$s\" "
           "\"$s\" ;;\n"
           "    liar) printf '{\"section\":\"other\",\"chain\":\"x\"}\\n' ;;\n"
           "    dies) echo 'Error: dying' >&2; exit 3 ;;\n"
           "    *) printf '{\"section\":\"%s\",\"chain\":\"PEM %s\"}\\n' \"$s\" \"$s\" ;;\n"
           "  esac\n"
           "done\n";
}

// Runs the sections through at most max_clients clients; each section's result.
std::map<std::string, client_result> run_batch(scripted_master& m, unsigned max_clients,
                                               const std::vector<std::string>& sections, unsigned* started = nullptr)
{
    m.with_silent_accountd();
    write_file(m.dir.file("client"), fake_client(m));
    std::map<std::string, client_result> results;
    batch_order_runner runner(m.loop(), max_clients, nlohmann::json::object(), m.dir.path());
    for (const auto& s : sections)
        runner.add({{s, {s + ".example.org"}, "csr", {}, std::nullopt},
                    [&results, s](client_result r) { results.emplace(s, std::move(r)); }});
    BOOST_TEST(runner.run());
    if (started)
        *started = runner.clients_started();
    return results;
}

long lines_in(const std::string& text)
{
    return std::count(text.begin(), text.end(), '\n');
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batch_order_runner_tests)

BOOST_AUTO_TEST_CASE(one_queue_few_clients_and_a_failure_is_its_section_s, *utf::timeout(60))
{
    scripted_master m("");
    unsigned started = 0;
    const auto results = run_batch(m, 2, {"a", "b", "bad", "c", "d", "e"}, &started);
    BOOST_TEST_REQUIRE(results.size() == 6u);
    for (const auto* s : {"a", "b", "c", "d", "e"}) {
        BOOST_TEST(!results.at(s).failure.has_value());
        BOOST_TEST(results.at(s).output == std::string("PEM ") + s);
    }
    BOOST_TEST(results.at("bad").failure.value_or("") == "refused bad");
    BOOST_TEST(started == 2u);
    BOOST_TEST(lines_in(read_file(m.dir.file("starts"))) == 2);
}

BOOST_AUTO_TEST_CASE(a_client_that_breaks_the_framing_or_dies_fails_one_section, *utf::timeout(60))
{
    scripted_master m("");
    unsigned started = 0;
    const auto results = run_batch(m, 1, {"a", "liar", "b", "dies", "c"}, &started);
    BOOST_TEST_REQUIRE(results.size() == 5u);
    BOOST_TEST(results.at("liar").failure.value_or("") == "client answered for a section it was not asked for");
    BOOST_TEST(results.at("dies").failure.value_or("") == "dying (client exited with value 3)");
    for (const auto* s : {"a", "b", "c"})
        BOOST_TEST(results.at(s).output == std::string("PEM ") + s);
    BOOST_TEST(started == 3u);  // the first, one after the liar, one after the one that died
}

BOOST_AUTO_TEST_SUITE_END()
