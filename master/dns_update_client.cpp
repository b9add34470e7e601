// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_update_client.hpp"

#include "common/error.hpp"
#include "master/dns_resolver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace lacme::master {
namespace {

constexpr std::size_t max_message = 65535;  // what the 2-byte length can say

unique_fd connect_to(const dns_server& server)
{
    sockaddr_storage address{};
    socklen_t size = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (::inet_pton(AF_INET, server.address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(server.port);
        size = sizeof *v4;
    } else if (::inet_pton(AF_INET6, server.address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(server.port);
        size = sizeof *v6;
    } else {
        throw error("not an IP address: " + server.address);
    }
    unique_fd fd(::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), size) != 0 && errno != EINPROGRESS)
        throw_errno("connect");
    return fd;
}

}  // namespace

dns_tcp_exchange::dns_tcp_exchange(uv_loop_t* loop, const dns_server& server, const std::string& message, done_fn done)
    : loop_(loop),
      deadline_(loop, [this] { finish("no response within " + std::to_string(dns_exchange_timeout.count()) + " s"); }),
      later_(loop, [this] { finish(pending_failure_); }), done_(std::move(done))
{
    if (message.size() > max_message)
        throw error("DNS message too long");
    request_.push_back(static_cast<char>(message.size() >> 8));
    request_.push_back(static_cast<char>(message.size() & 0xff));
    request_ += message;
    deadline_.start(dns_exchange_timeout);
    try {
        connecting_ = connect_to(server);
    } catch (const error& e) {
        pending_failure_ = e.what();
        later_.start(std::chrono::milliseconds(0));
        return;
    }
    connect_watch_.emplace(loop, connecting_.get(), [this](int, int) { on_connected(); });
    connect_watch_->start(UV_WRITABLE);
}

void dns_tcp_exchange::on_connected()
{
    connect_watch_.reset();
    int so_error = 0;
    socklen_t size = sizeof so_error;
    if (::getsockopt(connecting_.get(), SOL_SOCKET, SO_ERROR, &so_error, &size) != 0)
        so_error = errno;
    if (so_error != 0)
        return finish("connect: " + std::string(std::strerror(so_error)));
    connected_ = true;
    try {
        stream_ = uv::stream::open(loop_, std::move(connecting_), request_.size());
    } catch (const error& e) {
        return finish(std::string(e.what()));
    }
    const int status =
        stream_->start_reading([this](std::string_view bytes) { on_bytes(bytes); },
                               [this](int end) {
                                   finish(end == 0 ? std::string("the server closed the connection before its response")
                                                   : std::string("reading: ") + uv_strerror(end));
                               });
    if (status != 0)
        return finish(std::string("reading: ") + uv_strerror(status));
    if (!stream_->write(std::move(request_)))
        return finish("sending the message failed");
    stream_->on_write_done([] {}, [this](int error) { finish(std::string("sending: ") + uv_strerror(error)); });
}

void dns_tcp_exchange::on_bytes(std::string_view bytes)
{
    if (received_.size() + bytes.size() > max_message + 2)
        return finish("a response longer than its length");
    received_.insert(received_.end(), bytes.begin(), bytes.end());
    if (received_.size() < 2)
        return;
    const std::size_t length = (std::size_t{received_[0]} << 8) | received_[1];
    if (received_.size() < length + 2)
        return;
    if (received_.size() > length + 2)
        return finish("more bytes than one response");
    received_.erase(received_.begin(), received_.begin() + 2);
    finish(std::nullopt);
}

void dns_tcp_exchange::finish(std::optional<std::string> failure)
{
    deadline_.stop();
    later_.stop();
    connect_watch_.reset();
    if (stream_)
        stream_->close();
    auto done = std::move(done_);
    done_ = nullptr;
    if (done) {
        std::vector<std::uint8_t> response = failure ? std::vector<std::uint8_t>() : std::move(received_);
        done(std::move(failure), std::move(response));  // may destroy this object
    }
}

}  // namespace lacme::master
