// SPDX-License-Identifier: GPL-3.0-or-later
// The newOrders lines (common/order_batch_protocol.hpp): the client's answers, which the master
// reads from an unprivileged process, and the master's requests, which the client reads. Parse
// anything (a lacme::error is the only way to refuse); what parses formats back to a line that
// parses to the same thing.
#include "common/error.hpp"
#include "common/order_batch_protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

std::string_view without_line_end(const std::string& line)
{
    if (line.empty() || line.back() != '\n')
        std::abort();
    return std::string_view(line).substr(0, line.size() - 1);
}

void answer(std::string_view line)
{
    try {
        const auto parsed = lacme::parse_order_batch_answer(line);
        const auto again = lacme::parse_order_batch_answer(without_line_end(lacme::format_order_batch_answer(parsed)));
        if (again.section != parsed.section || again.chain != parsed.chain ||
            again.error.empty() != parsed.error.empty())
            std::abort();
    } catch (const lacme::error&) {
    }
}

void request(std::string_view line)
{
    try {
        const auto parsed = lacme::parse_order_batch_request(line);
        if (!(lacme::parse_order_batch_request(without_line_end(lacme::format_order_batch_request(parsed))) == parsed))
            std::abort();
    } catch (const lacme::error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    answer(line);
    request(line);
    return 0;
}
