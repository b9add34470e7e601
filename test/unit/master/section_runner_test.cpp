// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/section_runner.hpp"
#include "master/interruptible_run.hpp"

#include "scripted_master.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

using lacme::master::client_invocation;
using lacme::master::client_result;
using lacme::master::section_runner;
using lacme::test::elapsed_ms;
using lacme::test::read_file;
using lacme::test::scripted_master;
namespace utf = boost::unit_test;

namespace {

// A renewal-info job (no accountd needed) whose client gets `argument` as its last argument.
section_runner::job job_for(const std::string& argument, std::function<void(client_result)> on_done)
{
    client_invocation invocation;
    invocation.command = "renewal-info";
    invocation.arguments = {argument};
    invocation.signs = false;
    return {argument, std::move(invocation), std::move(on_done)};
}

bool exists(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// The most clients a trace of "+" (started) and "-" (ended) lines shows running at once.
int most_at_once(const std::string& trace)
{
    std::istringstream lines(trace);
    int running = 0, most = 0;
    for (std::string line; std::getline(lines, line);) {
        running += line == "+" ? 1 : -1;
        most = std::max(most, running);
    }
    return most;
}

// Raises `signo` in this process once `ready` exists (the clients are set up), from the loop.
class signal_when {
public:
    signal_when(uv_loop_t* loop, std::string ready, int signo) : ready_(std::move(ready)), signo_(signo)
    {
        uv_timer_init(loop, timer_.get());
        timer_->data = this;
        uv_timer_start(
            timer_.get(),
            [](uv_timer_t* h) {
                auto* self = static_cast<signal_when*>(h->data);
                if (!exists(self->ready_))
                    return;
                uv_timer_stop(h);
                ::raise(self->signo_);
            },
            20, 20);
    }
    signal_when(const signal_when&) = delete;
    signal_when& operator=(const signal_when&) = delete;
    ~signal_when() = default;

private:
    lacme::uv::handle_ptr<uv_timer_t> timer_ = lacme::uv::make_handle<uv_timer_t>();
    std::string ready_;
    int signo_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(master_section_runner)

BOOST_AUTO_TEST_CASE(runs_every_job_with_at_most_the_limit_at_once, *utf::timeout(60))
{
    scripted_master m("", 2);
    const std::string trace = m.dir.file("trace");
    lacme::test::write_file(m.dir.file("client"),
                            "echo + >>" + trace + "; sleep 0.3; echo - >>" + trace + "; echo \"$1 $2 $3 $4\"\n");
    section_runner runner(m.loop(), 2);
    std::vector<std::string> outputs;
    for (const char* name : {"a", "b", "c", "d", "e"})
        runner.add(job_for(name, [&](client_result r) {
            BOOST_TEST(!r.failure.has_value());
            outputs.push_back(r.output);
        }));
    BOOST_TEST(runner.run());
    std::sort(outputs.begin(), outputs.end());
    BOOST_TEST(
        (outputs == std::vector<std::string>{"renewal-info 3 4 a\n", "renewal-info 3 4 b\n", "renewal-info 3 4 c\n",
                                             "renewal-info 3 4 d\n", "renewal-info 3 4 e\n"}));
    BOOST_TEST(most_at_once(read_file(trace)) == 2);
}

// A run's http-01 and dns-01 sections have runners of their own (master/section_run.cpp): sharing
// one run_interruptibly, their clients run at the same time. Each client waits (bounded) for the
// other runner's client to have started: run one after the other, the first would wait in vain.
BOOST_AUTO_TEST_CASE(runners_sharing_a_run_run_their_clients_together, *utf::timeout(60))
{
    scripted_master m("d=$(dirname \"$0\"); touch \"$d/started-$4\"\n"
                      "for _ in $(seq 200); do [ -e \"$d/started-$5\" ] && echo together && exit; sleep 0.1; done\n"
                      "echo alone\n");
    section_runner first(m.loop(), 1), second(m.loop(), 1);
    std::vector<std::string> outputs;
    const auto collect = [&](client_result r) {
        BOOST_TEST(!r.failure.has_value());
        outputs.push_back(r.output);
    };
    auto one = job_for("a", collect), other = job_for("b", collect);
    one.invocation.arguments.push_back("b");
    other.invocation.arguments.push_back("a");
    first.add(std::move(one));
    second.add(std::move(other));
    BOOST_TEST(lacme::master::run_interruptibly(m.loop(), {&first, &second}));
    BOOST_TEST(outputs == std::vector<std::string>({"together\n", "together\n"}));
}

BOOST_AUTO_TEST_CASE(a_failing_client_fails_only_its_own_job, *utf::timeout(60))
{
    scripted_master m("[ \"$4\" = bad ] && exit 3\necho fine\n");
    section_runner runner(m.loop(), 1);
    std::map<std::string, client_result> results;
    for (const char* name : {"bad", "good"})
        runner.add(job_for(name, [&results, name](client_result r) { results[name] = std::move(r); }));
    BOOST_TEST(runner.run());
    BOOST_TEST_REQUIRE(results.size() == 2U);
    BOOST_TEST(results["bad"].failure.value_or("") == "client exited with value 3");
    BOOST_TEST(!results["good"].failure.has_value());
    BOOST_TEST(results["good"].output == "fine\n");
}

BOOST_AUTO_TEST_CASE(a_client_that_cannot_start_fails_its_job)
{
    scripted_master m("");
    m.config.client.command = {"/nonexistent/lacme-client"};
    section_runner runner(m.loop(), 1);
    std::optional<client_result> result;
    runner.add(job_for("x", [&](client_result r) { result = std::move(r); }));
    BOOST_TEST(runner.run());
    BOOST_TEST_REQUIRE(result.has_value());
    BOOST_TEST(result->failure.has_value());
}

// SIGTERM: the job not started yet is dropped, the running clients get SIGTERM; one that obeys
// reports it, one that ignores it is killed after the grace, and its callback never runs.
BOOST_AUTO_TEST_CASE(a_signal_stops_the_run_after_the_grace, *utf::timeout(60))
{
    scripted_master m(
        "case \"$4\" in\n"
        "obedient) exec sleep 30 ;;\n"
        "stubborn) trap '' TERM; echo $$ >\"$(dirname \"$0\")/stubborn.pid\"; while :; do sleep 0.1; done ;;\n"
        "*) touch \"$(dirname \"$0\")/$4.started\" ;;\n"
        "esac\n",
        2);
    section_runner runner(m.loop(), 2);
    std::map<std::string, client_result> results;
    for (const char* name : {"obedient", "stubborn", "pending"})
        runner.add(job_for(name, [&results, name](client_result r) { results[name] = std::move(r); }));
    const signal_when interrupt(m.loop().loop(), m.dir.file("stubborn.pid"), SIGTERM);
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!runner.run());
    const auto took = elapsed_ms(start);
    BOOST_TEST(m.loop().interrupted_signal() == SIGTERM);
    BOOST_TEST(took >= lacme::master::interrupt_grace.count() - 100);
    BOOST_TEST(took < lacme::master::interrupt_grace.count() + 8000);
    BOOST_TEST_REQUIRE(results.size() == 1U);
    BOOST_TEST(results["obedient"].failure.value_or("") == "client killed by signal 15");
    BOOST_TEST(!exists(m.dir.file("pending.started")));
    const pid_t stubborn = std::stoi(read_file(m.dir.file("stubborn.pid")));
    BOOST_TEST(::kill(stubborn, 0) == -1);
    BOOST_TEST(errno == ESRCH);
}

// Without a signal the run ends when the last client does: the signal watchers do not keep
// the loop alive, and neither does the grace timer of an interruption once the clients are gone.
BOOST_AUTO_TEST_CASE(clients_that_obey_the_signal_end_the_run_before_the_grace, *utf::timeout(60))
{
    scripted_master m("touch \"$(dirname \"$0\")/ready\"\nexec sleep 30\n", 1);
    section_runner runner(m.loop(), 1);
    std::optional<client_result> result;
    runner.add(job_for("x", [&](client_result r) { result = std::move(r); }));
    const signal_when interrupt(m.loop().loop(), m.dir.file("ready"), SIGINT);
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(!runner.run());
    BOOST_TEST(elapsed_ms(start) < lacme::master::interrupt_grace.count());
    BOOST_TEST_REQUIRE(result.has_value());
    BOOST_TEST(result->failure.value_or("") == "client killed by signal 15");
}

BOOST_AUTO_TEST_CASE(a_signal_before_the_run_starts_nothing, *utf::timeout(60))
{
    scripted_master m("touch \"$(dirname \"$0\")/started\"\n");
    auto& master = m.loop();
    ::raise(SIGHUP);
    BOOST_TEST_REQUIRE(lacme::test::run_until(master.loop(), [&] { return master.interrupted(); }));
    section_runner runner(master, 1);
    bool called = false;
    runner.add(job_for("x", [&](client_result) { called = true; }));
    BOOST_TEST(!runner.run());
    BOOST_TEST(!called);
    BOOST_TEST(!exists(m.dir.file("started")));
}

BOOST_AUTO_TEST_SUITE_END()
