// SPDX-License-Identifier: GPL-3.0-or-later
// accountd-hosts-load: N simulated web hosts against one lacme-accountd, for
// bench/accountd-many-hosts. Each host opens its own session (its listener socket, or an SSH
// session that runs its forced command), reads the greeting, then asks for one order's worth of
// signatures one at a time, as lacme does: a newOrder for webI.example.org, then POST-as-GETs.
// One thread drives every host through epoll, so the driver's own CPU stays small beside the
// daemon's on a 2-core machine (20-30 us a signature; the Python driver it replaces, a thread per
// host under the GIL with a readline per answer, took ~300 us and bounded the rate it measured).
//
// usage: accountd-hosts-load HOSTS SIGNATURES --sockets=PATTERN  (PATTERN: a path, % = host number)
//        accountd-hosts-load HOSTS SIGNATURES --ssh=CONFIG       (ssh -F CONFIG -T webI lacme-accountd)
// prints one line of NAME=VALUE: seconds signatures failures rate p50_ms p99_ms (request sent to
// signature read) setup_p50_ms setup_p99_ms (session start to greeting) self_cpu_s children_cpu_s.
// SIGNATURES may be 0: sessions only (set-up cost). Exits non-zero if any host failed.
#include "bench/process_cpu.hpp"
#include "common/accountd_protocol.hpp"
#include "common/base64url.hpp"
#include "common/child_process.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/fd_pair.hpp"
#include "common/line_buffer.hpp"
#include "common/unique_fd.hpp"
#include "common/unix_socket_connect.hpp"

#include <nlohmann/json.hpp>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace lacme;
using clock_type = std::chrono::steady_clock;

constexpr auto run_deadline = std::chrono::minutes(10);
constexpr auto ssh_exit_grace = std::chrono::seconds(10);

struct host {
    int number = 0;
    unique_fd fd;
    child_process ssh;  // --ssh only
    line_buffer lines{accountd_max_line};
    std::optional<std::string> first_greeting_line;
    bool greeted = false;
    std::vector<std::string> requests;
    std::size_t answered = 0;
    bool finished = false;
    bool failed = false;
    clock_type::time_point started;
    clock_type::time_point sent;
};

struct results {
    std::vector<double> latencies_ms;
    std::vector<double> setups_ms;
    long failures = 0;
    std::string first_failure;
};

std::string name_of(const host& h)
{
    return "web" + std::to_string(h.number);
}

// The host's order: a newOrder for its own name, then POST-as-GETs of the order's URLs.
std::vector<std::string> order_requests(const host& h, const std::string& alg, int count)
{
    std::vector<std::string> lines;
    for (int i = 0; i < count; ++i) {
        const std::string url =
            i == 0 ? "https://ca.example/new-order" : "https://ca.example/order/" + std::to_string(i);
        const nlohmann::json header = {
            {"alg", alg}, {"nonce", "n" + std::to_string(i)}, {"url", url}, {"kid", "https://ca.example/acct/1"}};
        const std::string payload =
            i == 0 ? nlohmann::json{{"identifiers", {{{"type", "dns"}, {"value", name_of(h) + ".example.org"}}}}}.dump()
                   : "";
        lines.push_back(base64url_encode(header.dump()) + "." + base64url_encode(payload) + "\r\n");
    }
    return lines;
}

double ms_since(clock_type::time_point t)
{
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

void start_session(host& h, const std::string& sockets, const std::string& ssh_config)
{
    h.started = clock_type::now();
    if (ssh_config.empty()) {
        std::string path = sockets;
        path.replace(path.find('%'), 1, std::to_string(h.number));
        h.fd = connect_unix(path);
        return;
    }
    socket_pair pair = make_socket_pair();
    child_spec spec;
    spec.argv = {"ssh", "-F", ssh_config, "-T", name_of(h), "lacme-accountd"};
    spec.fds = {{pair.theirs.get(), 0}, {pair.theirs.get(), 1}, {STDERR_FILENO, 2}};
    h.ssh = spawn_child(spec);
    h.fd = std::move(pair.ours);
}

void send_next(host& h)
{
    if (h.answered == h.requests.size()) {
        ::shutdown(h.fd.get(), SHUT_WR);  // done: the session ends when the peer closes
        return;
    }
    h.sent = clock_type::now();
    write_all(h.fd.get(), h.requests[h.answered], name_of(h));
}

// One line from the host's peer: the greeting's two lines, then one answer per request.
void on_line(host& h, const std::string& text, int signatures, results& r)
{
    if (!h.first_greeting_line) {
        h.first_greeting_line = text;
        return;
    }
    if (!h.greeted) {
        const accountd_greeting greeting = parse_accountd_greeting(*h.first_greeting_line, text);
        h.greeted = true;
        r.setups_ms.push_back(ms_since(h.started));
        h.requests = order_requests(h, greeting.alg, signatures);
        send_next(h);
        return;
    }
    if (h.answered == h.requests.size())
        throw error("an answer nobody asked for");
    if (text.empty() || text.starts_with(accountd_refusal_prefix))
        throw error("refused: " + text);
    r.latencies_ms.push_back(ms_since(h.sent));
    ++h.answered;
    send_next(h);
}

// Reads what is there; returns true when the host's session is over (closed by the peer).
bool on_readable(host& h, int signatures, results& r)
{
    char buf[4096];
    const ssize_t n = ::read(h.fd.get(), buf, sizeof buf);
    if (n < 0)
        throw_errno("read");
    if (n == 0) {
        if (!h.greeted || h.answered != h.requests.size())
            throw error("closed after " + std::to_string(h.answered) + " answers");
        return true;
    }
    h.lines.append(std::string_view(buf, static_cast<std::size_t>(n)));
    while (auto line = h.lines.next())
        on_line(h, line->text, signatures, r);
    if (h.lines.overflowed())
        throw error("line too long");
    return false;
}

void fail(host& h, const std::string& why, results& r)
{
    ++r.failures;
    if (r.first_failure.empty())
        r.first_failure = name_of(h) + ": " + why;
    h.fd.reset();  // leaves the epoll set
    h.finished = true;
    h.failed = true;
}

void run_hosts(std::vector<host>& hosts, int signatures, const std::string& sockets, const std::string& ssh_config,
               results& r)
{
    const unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
    if (ep.get() < 0)
        throw_errno("epoll_create1");
    std::size_t open = 0;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        try {
            start_session(hosts[i], sockets, ssh_config);
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.u64 = i;
            if (::epoll_ctl(ep.get(), EPOLL_CTL_ADD, hosts[i].fd.get(), &ev) != 0)
                throw_errno("epoll_ctl");
            ++open;
        } catch (const std::exception& e) {
            fail(hosts[i], e.what(), r);
        }
    }
    const auto deadline = clock_type::now() + run_deadline;
    while (open > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
        epoll_event events[64];
        const int n = left.count() > 0 ? ::epoll_wait(ep.get(), events, 64, static_cast<int>(left.count())) : 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (int e = 0; e < n; ++e) {
            host& h = hosts[events[e].data.u64];
            try {
                if (on_readable(h, signatures, r)) {
                    h.fd.reset();
                    h.finished = true;
                    --open;
                }
            } catch (const std::exception& ex) {
                fail(h, ex.what(), r);
                --open;
            }
        }
    }
    for (host& h : hosts) {
        if (!h.finished)
            fail(h, "no answer within the deadline", r);
        if (h.ssh.running()) {
            const int status = h.ssh.reap_within(ssh_exit_grace);
            if (!h.failed && !exited_successfully(status))
                fail(h, "ssh " + describe_wait_status(status), r);
        }
    }
}

double quantile(std::vector<double>& values, double f)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(f * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv)
{
    std::string sockets;
    std::string ssh_config;
    if (argc == 4) {
        const std::string_view mode = argv[3];
        if (mode.starts_with("--sockets=") && mode.find('%') != std::string_view::npos)
            sockets = std::string(mode.substr(std::string_view("--sockets=").size()));
        else if (mode.starts_with("--ssh="))
            ssh_config = std::string(mode.substr(std::string_view("--ssh=").size()));
    }
    if (sockets.empty() == ssh_config.empty()) {
        std::cerr << "usage: accountd-hosts-load HOSTS SIGNATURES --sockets=PATTERN|--ssh=CONFIG\n";
        return 2;
    }
    try {
        const int count = std::stoi(argv[1]);
        const int signatures = std::stoi(argv[2]);
        std::vector<host> hosts(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i)
            hosts[static_cast<std::size_t>(i)].number = i + 1;
        results r;
        const auto start = clock_type::now();
        run_hosts(hosts, signatures, sockets, ssh_config, r);
        const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
        const auto signed_count = r.latencies_ms.size();
        std::printf("seconds=%.2f signatures=%zu failures=%ld rate=%.0f p50_ms=%.1f p99_ms=%.1f setup_p50_ms=%.0f "
                    "setup_p99_ms=%.0f self_cpu_s=%.2f children_cpu_s=%.2f\n",
                    seconds, signed_count, r.failures, static_cast<double>(signed_count) / seconds,
                    quantile(r.latencies_ms, 0.5), quantile(r.latencies_ms, 0.99), quantile(r.setups_ms, 0.5),
                    quantile(r.setups_ms, 0.99), process_cpu_seconds(), process_cpu_seconds(RUSAGE_CHILDREN));
        if (!r.first_failure.empty())
            std::cerr << "accountd-hosts-load: " << r.first_failure << "\n";
        return r.failures == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "accountd-hosts-load: " << e.what() << "\n";
        return 1;
    }
}
