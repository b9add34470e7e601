// SPDX-License-Identifier: GPL-3.0-or-later
// DNS queries on the master's loop through c-ares (Debian's libc-ares2, which libcurl already
// brings): one channel per resolver, its sockets watched by libuv, its timeouts on a libuv timer.
// Answers are parsed by c-ares, never by hand. Each query is bounded by c-ares's own timeout and
// tries; whoever waits for several rounds bounds the whole (dns_propagation).
#pragma once

#include "common/uv/poll_watcher.hpp"
#include "common/uv/timer.hpp"
#include "master/certificate_config.hpp"

#include <ares.h>
#include <uv.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

class dns_resolver {
public:
    // The values of the TXT records found (each record's strings joined), or the error.
    struct txt_answer {
        std::vector<std::string> values;
        std::optional<std::string> error;
    };
    using txt_fn = std::function<void(txt_answer)>;
    // NS host names, or A/AAAA addresses, or the error.
    struct name_answer {
        std::vector<std::string> names;
        std::optional<std::string> error;
    };
    using name_fn = std::function<void(name_answer)>;

    // servers: ask these only; empty: the system's resolvers (/etc/resolv.conf). Throws lacme::error.
    dns_resolver(uv_loop_t* loop, const std::vector<dns_server>& servers);
    dns_resolver(const dns_resolver&) = delete;
    dns_resolver& operator=(const dns_resolver&) = delete;
    // Pending callbacks are dropped, never called.
    ~dns_resolver();

    void query_txt(const std::string& name, txt_fn done);
    void query_ns(const std::string& name, name_fn done);
    void query_addresses(const std::string& host, name_fn done);
    // The SOA's primary server (MNAME) when name is a zone's apex (an SOA answer), else the error.
    void query_soa(const std::string& name, name_fn done);

private:
    struct pending;
    static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable);
    void process(ares_socket_t read_fd, ares_socket_t write_fd);
    void arm_timer();
    void query(const std::string& name, int type, std::function<void(int status, const unsigned char*, int)> done);

    uv_loop_t* loop_;
    ares_channel channel_ = nullptr;
    std::map<ares_socket_t, std::unique_ptr<uv::poll_watcher>> sockets_;
    uv::timer timer_;
    bool destroying_ = false;
};

// "ADDRESS:PORT" / "[IPv6]:PORT", for messages.
[[nodiscard]] std::string describe_dns_server(const dns_server& server);

}  // namespace lacme::master
