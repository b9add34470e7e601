// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/order_batch.hpp"

#include "client/acme_session.hpp"
#include "client/order_flow.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/line_buffer.hpp"
#include "common/log.hpp"

#include <optional>
#include <string>

namespace lacme::client {
namespace {

// The master's request lines, one at a time: nullopt at the end of input; lacme::error for an
// unterminated or overlong line, or a read error.
class request_reader {
public:
    explicit request_reader(int fd) : fd_(fd) {}

    std::optional<std::string> next()
    {
        if (auto line = read_line(fd_, lines_, "newOrders: reading stdin"))
            return std::move(line->text);
        if (lines_.overflowed())
            throw error("newOrders: a request line longer than " + std::to_string(order_batch_max_line) + " bytes");
        if (!lines_.empty())
            throw error("newOrders: the last request line has no line end");
        return std::nullopt;
    }

private:
    int fd_;
    line_buffer lines_{order_batch_max_line};
};

order_batch_answer answer_to(acme_session& session, const client_config& config, const order_batch_request& request)
{
    order_batch_answer answer{request.section, std::nullopt, {}};
    try {
        answer.chain = run_order(session, order_of(request, config));
    } catch (const error& e) {
        if (session.accountd().lost())
            throw;  // fatal: the master fails this order with the relay's reason, and goes on elsewhere
        session.log().info(error_text(e.what()));  // the section's stderr ends as newOrder's would
        answer.error = e.what();
    }
    return answer;
}

}  // namespace

order_request order_of(const order_batch_request& request, const client_config& config)
{
    order_request order;
    order.names = request.identifiers;
    order.csr_der = request.csr_der;
    order.replaces = request.replaces;
    order.preferred_chain = request.preferred_chain.value_or(config.preferred_chain);
    order.challenge = config.challenge;
    return order;
}

void serve_order_batch(acme_session& session, const client_config& config, int in_fd, int out_fd,
                       std::chrono::seconds order_time_limit)
{
    request_reader requests(in_fd);
    while (const auto line = requests.next()) {
        const order_batch_request request = parse_order_batch_request(*line);
        session.set_deadline(deadline::after(order_time_limit));
        write_all(out_fd, format_order_batch_answer(answer_to(session, config, request)), "stdout");
    }
}

}  // namespace lacme::client
