// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_resolver.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>

namespace lacme::master {
namespace {

constexpr int query_timeout_ms = 2000;
constexpr int query_tries = 2;

// The query's answer, or c-ares's message for the query's or the parser's failure; PARSE fills the
// answer from the reply and returns c-ares's status.
template <typename Answer, typename Parse>
Answer parsed_answer(int status, Parse parse)
{
    Answer result;
    if (status == ARES_SUCCESS)
        status = parse(result);
    if (status == ARES_SUCCESS)
        return result;
    Answer failed;
    failed.error = ares_strerror(status);
    return failed;
}

std::string server_list(const std::vector<dns_server>& servers)
{
    std::string csv;
    for (const auto& s : servers)
        csv += (csv.empty() ? "" : ",") + describe_dns_server(s);
    return csv;
}

}  // namespace

struct dns_resolver::pending {
    dns_resolver* resolver;
    std::function<void(int, const unsigned char*, int)> done;
};

std::string describe_dns_server(const dns_server& server)
{
    const bool v6 = server.address.find(':') != std::string::npos;
    return (v6 ? "[" + server.address + "]" : server.address) + ":" + std::to_string(server.port);
}

dns_resolver::dns_resolver(uv_loop_t* loop, const std::vector<dns_server>& servers)
    : loop_(loop), timer_(loop, [this] { process(ARES_SOCKET_BAD, ARES_SOCKET_BAD); })
{
    // Reference-counted by c-ares: paired with ares_library_cleanup in the destructor.
    if (const int status = ares_library_init(ARES_LIB_INIT_ALL); status != ARES_SUCCESS)
        throw error(std::string("c-ares: ") + ares_strerror(status));
    ares_options options{};
    options.sock_state_cb = &dns_resolver::on_socket_state;
    options.sock_state_cb_data = this;
    options.timeout = query_timeout_ms;
    options.tries = query_tries;
    const int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
    if (const int status = ares_init_options(&channel_, &options, mask); status != ARES_SUCCESS) {
        ares_library_cleanup();
        throw error(std::string("c-ares: ") + ares_strerror(status));
    }
    if (!servers.empty())
        if (const int status = ares_set_servers_ports_csv(channel_, server_list(servers).c_str());
            status != ARES_SUCCESS) {
            ares_destroy(channel_);
            ares_library_cleanup();
            throw error("c-ares: servers " + server_list(servers) + ": " + ares_strerror(status));
        }
}

dns_resolver::~dns_resolver()
{
    destroying_ = true;  // ares_destroy calls each pending callback with ARES_EDESTRUCTION
    ares_destroy(channel_);
    ares_library_cleanup();
}

void dns_resolver::on_socket_state(void* data, ares_socket_t fd, int readable, int writable)
{
    auto* self = static_cast<dns_resolver*>(data);
    if (self->destroying_)
        return;
    if (!readable && !writable) {
        self->sockets_.erase(fd);
        return;
    }
    auto& watcher = self->sockets_[fd];
    if (!watcher)
        watcher = std::make_unique<uv::poll_watcher>(self->loop_, fd, [self, fd](int status, int events) {
            const bool error = status < 0;
            self->process((error || (events & UV_READABLE)) ? fd : ARES_SOCKET_BAD,
                          (error || (events & UV_WRITABLE)) ? fd : ARES_SOCKET_BAD);
        });
    watcher->start((readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0));
}

void dns_resolver::process(ares_socket_t read_fd, ares_socket_t write_fd)
{
    ares_process_fd(channel_, read_fd, write_fd);
    arm_timer();
}

void dns_resolver::arm_timer()
{
    timeval longest{1, 0};
    timeval next{};
    const timeval* wait = ares_timeout(channel_, &longest, &next);
    if (sockets_.empty()) {
        timer_.stop();  // nothing in flight
        return;
    }
    timer_.start(std::chrono::milliseconds(wait->tv_sec * 1000 + wait->tv_usec / 1000 + 1));
}

void dns_resolver::query(const std::string& name, int type, std::function<void(int, const unsigned char*, int)> done)
{
    auto* p = new pending{this, std::move(done)};  // owned by c-ares until its callback
    ares_query(
        channel_, name.c_str(), ns_c_in, type,
        [](void* arg, int status, int, unsigned char* answer, int size) {
            const std::unique_ptr<pending> owned(static_cast<pending*>(arg));
            if (!owned->resolver->destroying_)
                owned->done(status, answer, size);
        },
        p);
    arm_timer();
}

void dns_resolver::query_txt(const std::string& name, txt_fn done)
{
    query(name, ns_t_txt, [done = std::move(done)](int status, const unsigned char* answer, int size) {
        done(parsed_answer<txt_answer>(status, [&](txt_answer& result) {
            ares_txt_ext* txt = nullptr;
            const int parsed = ares_parse_txt_reply_ext(answer, size, &txt);
            for (const ares_txt_ext* t = parsed == ARES_SUCCESS ? txt : nullptr; t != nullptr; t = t->next) {
                if (t->record_start || result.values.empty())
                    result.values.emplace_back();
                result.values.back().append(reinterpret_cast<const char*>(t->txt), t->length);
            }
            ares_free_data(txt);
            return parsed;
        }));
    });
}

void dns_resolver::query_ns(const std::string& name, name_fn done)
{
    query(name, ns_t_ns, [done = std::move(done)](int status, const unsigned char* answer, int size) {
        done(parsed_answer<name_answer>(status, [&](name_answer& result) {
            hostent* host = nullptr;
            const int parsed = ares_parse_ns_reply(answer, size, &host);
            if (parsed != ARES_SUCCESS)
                return parsed;
            for (char** alias = host->h_aliases; alias != nullptr && *alias != nullptr; ++alias)
                result.names.emplace_back(*alias);
            ares_free_hostent(host);
            return parsed;
        }));
    });
}

void dns_resolver::query_soa(const std::string& name, name_fn done)
{
    query(name, ns_t_soa, [done = std::move(done)](int status, const unsigned char* answer, int size) {
        done(parsed_answer<name_answer>(status, [&](name_answer& result) {
            ares_soa_reply* soa = nullptr;
            const int parsed = ares_parse_soa_reply(answer, size, &soa);
            if (parsed != ARES_SUCCESS)
                return parsed;
            result.names.emplace_back(soa->nsname);
            ares_free_data(soa);
            return parsed;
        }));
    });
}

void dns_resolver::query_addresses(const std::string& host, name_fn done)
{
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    struct lookup {
        name_fn done;
    };
    auto* l = new lookup{std::move(done)};  // owned by c-ares until its callback
    ares_getaddrinfo(
        channel_, host.c_str(), nullptr, &hints,
        [](void* arg, int status, int, ares_addrinfo* info) {
            const std::unique_ptr<lookup> owned(static_cast<lookup*>(arg));
            name_answer result;
            if (status != ARES_SUCCESS) {
                result.error = ares_strerror(status);
            } else {
                for (const ares_addrinfo_node* n = info->nodes; n != nullptr; n = n->ai_next) {
                    char text[INET6_ADDRSTRLEN] = {};
                    const void* address =
                        n->ai_family == AF_INET
                            ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(n->ai_addr)->sin_addr)
                            : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(n->ai_addr)->sin6_addr);
                    if (::inet_ntop(n->ai_family, address, text, sizeof text) != nullptr)
                        result.names.emplace_back(text);
                }
                ares_freeaddrinfo(info);
            }
            if (status != ARES_EDESTRUCTION)
                owned->done(std::move(result));
        },
        l);
    arm_timer();
}

}  // namespace lacme::master
