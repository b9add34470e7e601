// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/problem_document.hpp"

#include "common/json_member.hpp"

#include "common/text.hpp"

#include <cstdint>
#include <limits>

namespace lacme::client {
namespace {

std::string shorten(const std::string& type)
{
    if (type.starts_with(acme_error_prefix))
        return type.substr(acme_error_prefix.size());
    return type;
}

// The member's value when it is an integer that an int holds (get<int>() would wrap one that
// does not: a status of 4294967696 would read as 400).
std::optional<int> int_member(const nlohmann::json& object, std::string_view key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer())
        return std::nullopt;
    constexpr auto min = std::numeric_limits<int>::min(), max = std::numeric_limits<int>::max();
    if (it->is_number_unsigned()) {
        const auto value = it->get<std::uint64_t>();
        return value <= static_cast<std::uint64_t>(max) ? std::optional<int>(static_cast<int>(value)) : std::nullopt;
    }
    const auto value = it->get<std::int64_t>();
    return value >= min && value <= max ? std::optional<int>(static_cast<int>(value)) : std::nullopt;
}

}  // namespace

std::string problem_document::short_type() const
{
    return shorten(type);
}

bool problem_document::is(std::string_view acme_type) const
{
    return type.size() == acme_error_prefix.size() + acme_type.size() && type.starts_with(acme_error_prefix) &&
           type.ends_with(acme_type);
}

std::string problem_document::one_line() const
{
    std::string line = printable_for_log(short_type(), 100);
    if (!detail.empty())
        line += ": " + printable_for_log(detail);
    if (!subproblems.empty())
        line += " (" + subproblems + ")";
    return line;
}

std::optional<problem_document> problem_from_json(const nlohmann::json& object)
{
    if (!object.is_object())
        return std::nullopt;
    problem_document problem;
    problem.type = string_member(object, "type");
    if (problem.type.empty())
        problem.type = "about:blank";
    problem.detail = string_member(object, "detail");
    problem.status = int_member(object, "status");
    if (const auto it = object.find("subproblems"); it != object.end() && it->is_array()) {
        std::size_t shown = 0;
        for (const auto& sub : *it) {
            if (!sub.is_object())
                continue;
            if (++shown > 5) {  // a CA may list hundreds; the line must stay readable
                problem.subproblems += "; ...";
                break;
            }
            std::string part;
            if (const auto id = sub.find("identifier"); id != sub.end() && id->is_object())
                part = printable_for_log(string_member(*id, "type") + ":" + string_member(*id, "value"), 100) + ": ";
            part += printable_for_log(shorten(string_member(sub, "type")), 100);
            if (const auto d = string_member(sub, "detail"); !d.empty())
                part += ": " + printable_for_log(d, 200);
            if (!problem.subproblems.empty())
                problem.subproblems += "; ";
            problem.subproblems += part;
        }
    }
    return problem;
}

std::optional<problem_document> parse_problem_document(std::string_view body)
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded())
        return std::nullopt;
    return problem_from_json(json);
}

}  // namespace lacme::client
