// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/order_batch_protocol.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/json_member.hpp"
#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>

namespace lacme {
namespace {

bool one_line_of_text(std::string_view text, std::size_t max)
{
    return !text.empty() && text.size() <= max &&
           std::none_of(text.begin(), text.end(), [](char c) { return c >= 0 && (c < 0x20 || c == 0x7f); });
}

bool valid_section(std::string_view section)
{
    return one_line_of_text(section, order_batch_max_section);
}

// JSON escapes every control character: the object is one line.
std::string one_line(const nlohmann::json& object)
{
    try {
        return object.dump() + "\n";
    } catch (const nlohmann::json::exception&) {
        throw error("newOrders: a string is not UTF-8");  // a section name is bytes from a file
    }
}

nlohmann::json parse_object(std::string_view line, std::string_view what)
{
    if (line.size() > order_batch_max_line)
        throw error(std::string(what) + ": line longer than " + std::to_string(order_batch_max_line) + " bytes");
    auto object = nlohmann::json::parse(line, nullptr, false);
    if (!object.is_object())
        throw error(std::string(what) + ": not a JSON object");
    return object;
}

std::string section_of(const nlohmann::json& object, std::string_view what)
{
    auto section = find_string_member(object, "section");
    if (!section || !valid_section(*section))
        throw error(std::string(what) + ": no valid \"section\"");
    return *section;
}

std::vector<std::string> identifiers_of(const nlohmann::json& object)
{
    const auto it = object.find("identifiers");
    if (it == object.end() || !it->is_array() || it->empty())
        throw error("newOrders request: \"identifiers\" is not a non-empty array");
    std::vector<std::string> names;
    for (const auto& name : *it) {
        if (!name.is_string() || name.get_ref<const std::string&>().empty())
            throw error("newOrders request: an identifier is not a non-empty string");
        names.push_back(name.get<std::string>());
    }
    return names;
}

void reject_unknown_members(const nlohmann::json& object, std::initializer_list<std::string_view> known,
                            std::string_view what)
{
    for (const auto& [key, value] : object.items())
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw error(std::string(what) + ": unknown member \"" + printable_for_log(key, 40) + "\"");
}

}  // namespace

std::string format_order_batch_request(const order_batch_request& request)
{
    if (!valid_section(request.section) || request.identifiers.empty() || request.csr_der.empty())
        throw error("newOrders request: a section, identifiers and a CSR are required");
    nlohmann::json object = {
        {"section", request.section}, {"identifiers", request.identifiers}, {"csr", base64url_encode(request.csr_der)}};
    if (!request.replaces.empty())
        object["replaces"] = request.replaces;
    if (request.preferred_chain)
        object["preferred-chain"] = *request.preferred_chain;
    return one_line(object);
}

order_batch_request parse_order_batch_request(std::string_view line)
{
    constexpr std::string_view what = "newOrders request";
    const auto object = parse_object(line, what);
    reject_unknown_members(object, {"section", "identifiers", "csr", "replaces", "preferred-chain"}, what);
    order_batch_request request;
    request.section = section_of(object, what);
    request.identifiers = identifiers_of(object);
    const auto csr = base64url_decode(string_member(object, "csr"));
    if (!csr || csr->empty())
        throw error("newOrders request: \"csr\" is not a non-empty base64url string");
    request.csr_der = *csr;
    if (object.contains("replaces") && !find_string_member(object, "replaces"))
        throw error("newOrders request: \"replaces\" is not a string");
    request.replaces = string_member(object, "replaces");
    if (object.contains("preferred-chain")) {
        request.preferred_chain = find_string_member(object, "preferred-chain");
        if (!request.preferred_chain)
            throw error("newOrders request: \"preferred-chain\" is not a string");
    }
    return request;
}

std::string format_order_batch_answer(const order_batch_answer& answer)
{
    nlohmann::json object = {{"section", answer.section}};
    if (answer.chain)
        object["chain"] = *answer.chain;
    else
        object["error"] = printable_for_log(answer.error.empty() ? "failed" : answer.error,
                                            order_batch_max_error - 32);  // room for the truncation mark
    return one_line(object);
}

order_batch_answer parse_order_batch_answer(std::string_view line)
{
    constexpr std::string_view what = "newOrders answer";
    const auto object = parse_object(line, what);
    reject_unknown_members(object, {"section", "chain", "error"}, what);
    order_batch_answer answer;
    answer.section = section_of(object, what);
    answer.chain = find_string_member(object, "chain");
    const auto failure = find_string_member(object, "error");
    if (answer.chain.has_value() == failure.has_value() || (answer.chain && answer.chain->empty()))
        throw error("newOrders answer: not exactly one of a non-empty \"chain\" and an \"error\"");
    if (failure) {
        if (!one_line_of_text(*failure, order_batch_max_error))
            throw error("newOrders answer: \"error\" is not one printable line");
        answer.error = *failure;
    }
    return answer;
}

}  // namespace lacme
