// SPDX-License-Identifier: GPL-3.0-or-later
// Everything the client parses from a CA's HTTP response: problem documents (top level and as
// the "error" of orders/challenges), Link headers, Retry-After / HTTP-dates, the directory, ARI
// windows, PEM chains, and the one-line failure description built from status + Content-Type +
// body. Invariants: nothing crashes or throws anything but acme_error, messages stay one line,
// delays are never negative.
#include "client/acme_directory.hpp"
#include "client/acme_session.hpp"
#include "client/client_error.hpp"
#include "client/link_header.hpp"
#include "client/pem_chain.hpp"
#include "client/problem_document.hpp"
#include "client/renewal_info.hpp"
#include "client/retry_policy.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void require_one_line(const std::string& s)
{
    for (const char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace lacme::client;
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    if (const auto problem = parse_problem_document(input))
        require_one_line(problem->one_line());

    for (const auto& l : parse_link_header(input))
        if (l.target.find('>') != std::string::npos)
            std::abort();

    const auto now = std::chrono::system_clock::now();
    const auto cap = std::chrono::milliseconds(3000);
    if (const auto delay = parse_retry_after(input, now, cap); delay && (delay->count() < 0 || *delay > cap))
        std::abort();
    (void)parse_http_date(input);

    const auto json = nlohmann::json::parse(input, nullptr, false);
    if (!json.is_discarded()) {
        try {
            (void)acme_directory::parse(json);
        } catch (const acme_error&) {
        }
        if (json.is_object())
            if (const auto e = json.find("error"); e != json.end())
                if (const auto problem = problem_from_json(*e))
                    require_one_line(problem->one_line());
    }
    try {
        (void)parse_renewal_info(input);
    } catch (const acme_error&) {
    }
    try {
        (void)count_pem_certificates(input);
        (void)chain_matches_preferred(input, "ISRG Root X1");
    } catch (const acme_error&) {
    }

    // A whole response: first line "STATUS CONTENT-TYPE", the rest is the body.
    const std::size_t nl = input.find('\n');
    const std::string_view head = input.substr(0, nl);
    http_response response;
    response.status = head.empty() ? 0 : static_cast<unsigned char>(head.front()) + 100;
    response.headers.emplace_back("content-type", std::string(head.substr(head.empty() ? 0 : 1)));
    response.body = nl == std::string_view::npos ? std::string() : std::string(input.substr(nl + 1));
    require_one_line(describe_failure(response, "fuzz"));
    try {
        (void)json_body(response, "fuzz");
    } catch (const acme_error& e) {
        require_one_line(e.what());
    }
    return 0;
}
