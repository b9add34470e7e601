// SPDX-License-Identifier: GPL-3.0-or-later
// accountd-load: drives a lacme-accountd socket with C concurrent connections of N signatures
// each, verifies every signature against the JWK of the greeting (with --verify), and prints
// the rate. Used by the benchmark (bench/accountd) and the concurrency tests. Each request is a
// newOrder for its own name, r<connection>-<n>.example.org; --received=FILE writes the name of
// every request whose signature came back, one a line (the audit log durability test matches
// them with the audit records, after killing the daemon under load).
//
// usage: accountd-load SOCKET CONNECTIONS SIGNATURES [--verify] [--received=FILE]
#include "common/accountd_protocol.hpp"
#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/jwk.hpp"
#include "common/jws_signature.hpp"
#include "common/line_buffer.hpp"
#include "common/unique_fd.hpp"
#include "common/unix_socket_connect.hpp"

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace lacme;

class accountd_peer {
public:
    explicit accountd_peer(const std::string& path) : fd_(connect_unix(path)), lines_(accountd_max_line)
    {
        const std::string first = read_line();
        greeting_ = parse_accountd_greeting(first, read_line());
    }

    const accountd_greeting& greeting() const { return greeting_; }

    std::string sign(const std::string& signing_input)
    {
        const std::string line = signing_input + "\r\n";
        if (::send(fd_.get(), line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size()))
            throw_errno("send");
        return read_line();
    }

private:
    std::string read_line()
    {
        if (auto line = lacme::read_line(fd_.get(), lines_, "read from accountd"))
            return std::move(line->text);
        throw error(lines_.overflowed() ? "accountd sent an overlong line" : "accountd closed the connection");
    }

    unique_fd fd_;
    line_buffer lines_;
    accountd_greeting greeting_;
};

// Prepared before the clock starts, so the measurement is the daemon's work, not ours.
// The name a request orders.
std::string request_name(int connection, int n)
{
    return "r" + std::to_string(connection) + "-" + std::to_string(n) + ".example.org";
}

// A newOrder, which a signing policy (bench/accountd's policy row) classifies and checks in full.
std::vector<std::string> signing_inputs(int connection, int count, const std::string& alg)
{
    std::vector<std::string> inputs;
    for (int i = 0; i < count; ++i) {
        const nlohmann::json header = {{"alg", alg},
                                       {"nonce", "n" + std::to_string(i)},
                                       {"url", "https://acme.test/order/" + std::to_string(connection)},
                                       {"kid", "https://acme.test/acct/1"}};
        const nlohmann::json payload = {{"identifiers", {{{"type", "dns"}, {"value", request_name(connection, i)}}}}};
        inputs.push_back(base64url_encode(header.dump()) + "." + base64url_encode(payload.dump()));
    }
    return inputs;
}

bool is_signature(std::string_view answer)
{
    return !answer.empty() && !answer.starts_with(accountd_refusal_prefix);
}

jws_algorithm algorithm_named(const std::string& name)
{
    for (auto alg : {jws_algorithm::rs256, jws_algorithm::es256, jws_algorithm::es384})
        if (jws_algorithm_name(alg) == name)
            return alg;
    throw error("unknown algorithm " + name);
}

}  // namespace

int main(int argc, char** argv)
{
    bool verify = false;
    std::optional<std::string> received_path;
    bool usage_ok = argc >= 4;
    for (int i = 4; i < argc && usage_ok; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--verify")
            verify = true;
        else if (arg.starts_with("--received="))
            received_path = std::string(arg.substr(std::string_view("--received=").size()));
        else
            usage_ok = false;
    }
    if (!usage_ok) {
        std::cerr << "usage: accountd-load SOCKET CONNECTIONS SIGNATURES [--verify] [--received=FILE]\n";
        return 2;
    }
    const std::string path = argv[1];
    const int connections = std::stoi(argv[2]);
    const int signatures = std::stoi(argv[3]);
    std::ofstream received;
    if (received_path) {
        received.open(*received_path, std::ios::trunc);
        if (!received) {
            std::cerr << "accountd-load: can't write " << *received_path << "\n";
            return 1;
        }
    }
    std::atomic<long> failures{0};
    std::atomic<long> done{0};
    std::string alg_name;
    std::mutex mutex;
    std::string first_error;

    // Connect and prepare everything first; then all connections start signing together.
    std::vector<std::unique_ptr<accountd_peer>> peers;
    std::vector<std::vector<std::string>> inputs;
    try {
        for (int c = 0; c < connections; ++c) {
            peers.push_back(std::make_unique<accountd_peer>(path));
            inputs.push_back(signing_inputs(c, signatures, peers.back()->greeting().alg));
        }
    } catch (const std::exception& e) {
        std::cerr << "accountd-load: " << e.what() << "\n";
        return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back([&, c] {
            try {
                accountd_peer& peer = *peers[static_cast<std::size_t>(c)];
                const auto& greeting = peer.greeting();
                const jws_algorithm alg = algorithm_named(greeting.alg);
                const auto key = verify ? public_key_from_jwk(greeting.jwk) : evp_pkey_ptr();
                {
                    const std::lock_guard lock(mutex);
                    alg_name = greeting.alg;
                }
                int n = 0;
                for (const std::string& input : inputs[static_cast<std::size_t>(c)]) {
                    const std::string answer = peer.sign(input);
                    if (received_path && is_signature(answer)) {
                        const std::lock_guard lock(mutex);
                        received << request_name(c, n) << "\n";
                    }
                    ++n;
                    if (verify) {
                        const auto sig = base64url_decode(answer);
                        if (!sig ||
                            !jws_verify(key.get(), alg, input,
                                        std::span(reinterpret_cast<const std::uint8_t*>(sig->data()), sig->size())))
                            ++failures;
                    }
                    ++done;
                }
            } catch (const std::exception& e) {
                ++failures;
                const std::lock_guard lock(mutex);
                if (first_error.empty())
                    first_error = e.what();
            }
        });
    }
    for (auto& t : threads)
        t.join();
    if (received_path && !received.flush()) {
        std::cerr << "accountd-load: can't write " << *received_path << "\n";
        return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << alg_name << " connections=" << connections << " signatures=" << done.load()
              << " failures=" << failures.load() << " seconds=" << seconds
              << " rate=" << static_cast<long>(static_cast<double>(done.load()) / seconds) << "\n";
    if (!first_error.empty())
        std::cerr << "accountd-load: " << first_error << "\n";
    return failures.load() == 0 && done.load() == static_cast<long>(connections) * signatures ? 0 : 1;
}
