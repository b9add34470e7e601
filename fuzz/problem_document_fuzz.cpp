// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes RFC 7807 problem documents from the CA (response bodies, and the "error" member of
// orders, authorizations and challenges). Invariants: parsing never throws; a document is read
// from any JSON object and only from one; its one-line description is one printable line;
// is() agrees with the type; a status is the document's own integer (when an int holds it), or
// none.
#include "client/problem_document.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

void require_one_line(std::string_view text)
{
    for (const char c : text)
        require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
}

void check(const nlohmann::json& json, const lacme::client::problem_document& problem)
{
    using lacme::client::acme_error_prefix;
    const std::string line = problem.one_line();
    require_one_line(line);
    require(!problem.type.empty());
    require_one_line(problem.subproblems);
    if (problem.type.starts_with(acme_error_prefix))
        require(problem.is(problem.short_type()));
    else
        require(problem.short_type() == problem.type && !problem.is(problem.type));

    std::optional<int> status;
    if (const auto it = json.find("status"); it != json.end() && it->is_number_integer()) {
        if (it->is_number_unsigned()) {
            if (const auto v = it->get<std::uint64_t>(); v <= std::numeric_limits<int>::max())
                status = static_cast<int>(v);
        } else if (const auto v = it->get<std::int64_t>();
                   v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()) {
            status = static_cast<int>(v);
        }
    }
    require(problem.status == status);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace lacme::client;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto problem = parse_problem_document(body);
    const auto json = nlohmann::json::parse(body, nullptr, false);
    require(problem.has_value() == json.is_object());
    if (problem)
        check(json, *problem);
    if (json.is_object())
        if (const auto e = json.find("error"); e != json.end()) {
            const auto inner = problem_from_json(*e);
            require(inner.has_value() == e->is_object());
            if (inner)
                check(*e, *inner);
        }
    return 0;
}
