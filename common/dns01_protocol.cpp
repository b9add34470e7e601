// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/dns01_protocol.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

#include <algorithm>

namespace lacme {
namespace {

constexpr std::size_t txt_value_size = 43;  // base64url of 32 bytes, unpadded
constexpr std::size_t max_name_size = 253;
constexpr std::size_t max_reason_size = 400;

std::string_view action_word(dns01_action action)
{
    return action == dns01_action::publish ? "publish" : "remove";
}

bool is_record_name(std::string_view name)
{
    if (!name.starts_with(dns01_record_prefix) || name.size() > max_name_size || name.ends_with('.') ||
        name.find("..") != std::string_view::npos)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == '_';
    });
}

}  // namespace

bool is_dns01_line(std::string_view line) noexcept
{
    return line.starts_with(dns01_line_prefix);
}

std::string format_dns01_request(const dns01_request& request)
{
    std::string line = std::string(dns01_line_prefix) + std::string(action_word(request.action));
    for (const auto& r : request.records)
        line += " " + r.name + " " + r.value;
    return line;
}

dns01_request parse_dns01_request(std::string_view line)
{
    if (!is_dns01_line(line))
        throw error("not a dns-01 request");
    const auto words = split_on_blanks(line.substr(dns01_line_prefix.size()));
    if (words.empty() || (words[0] != "publish" && words[0] != "remove"))
        throw error("dns-01: unknown request");
    if (words.size() < 3 || words.size() % 2 == 0)
        throw error("dns-01: expected NAME VALUE pairs");
    dns01_request request{words[0] == "publish" ? dns01_action::publish : dns01_action::remove, {}};
    for (std::size_t i = 1; i < words.size(); i += 2) {
        const std::string& name = words[i];
        const std::string& value = words[i + 1];
        if (!is_record_name(name))
            throw error("dns-01: invalid record name " + printable_for_log(name, 80));
        if (value.size() != txt_value_size || !is_base64url_alphabet(value))
            throw error("dns-01: invalid TXT value " + printable_for_log(value, 80));
        request.records.push_back({name, value});
    }
    return request;
}

std::string dns01_record_name(std::string_view identifier)
{
    if (identifier.starts_with("*."))
        identifier.remove_prefix(2);
    return std::string(dns01_record_prefix) + std::string(identifier);
}

std::string dns01_done_answer(dns01_action action)
{
    return std::string(dns01_line_prefix) + (action == dns01_action::publish ? "published" : "removed");
}

std::string dns01_failed_answer(std::string_view reason)
{
    return std::string(dns01_line_prefix) + "failed " + printable_for_log(reason, max_reason_size);
}

void check_dns01_answer(dns01_action action, std::string_view answer)
{
    if (answer == dns01_done_answer(action))
        return;
    const std::string failed = std::string(dns01_line_prefix) + "failed ";
    if (answer.starts_with(failed))
        throw error("the master could not " + std::string(action_word(action)) +
                    " the dns-01 records: " + printable_for_log(answer.substr(failed.size()), max_reason_size));
    throw error("the master does not do dns-01 (it answered " + printable_for_log(answer, 80) +
                "): dns-01 needs lacme-cpp's master");
}

}  // namespace lacme
