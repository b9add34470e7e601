// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/policy_file.hpp"

#include "common/error.hpp"
#include "common/ini_config.hpp"
#include "common/parse_number.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <array>

namespace lacme::accountd {
namespace {

constexpr std::string_view section = "policy";
constexpr std::array<std::string_view, 5> known_operations = {"order", "revoke", "account", "deactivate", "keychange"};
// More than one newOrder a second all hour long is no web host's renewal schedule.
constexpr unsigned max_rate = 3600;

// The setting's value and, for errors, where it is.
struct setting {
    const ini_config::value* value = nullptr;
    std::string where;

    [[nodiscard]] error fail(std::string_view message) const { return error(where + ": " + std::string(message)); }
};

setting find(const ini_config& config, std::string_view key)
{
    const auto& sections = config.sections();
    const auto it = sections.find(section);
    if (it == sections.end())
        return {};
    const auto v = it->second.values.find(std::string(key));
    if (v == it->second.values.end())
        return {};
    return {&v->second, config.origin() + ":" + std::to_string(v->second.line)};
}

bool is_label(std::string_view text)
{
    return !text.empty() && text.size() <= 64 && text.front() != '.' &&
           std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
           });
}

std::set<std::string, std::less<>> parse_operations(const setting& s)
{
    std::set<std::string, std::less<>> result;
    std::string_view text = s.value->text;
    while (!(text = trim(text)).empty()) {
        const std::size_t end = std::min(text.find_first_of(" \t"), text.size());
        const std::string name = ascii_lower(text.substr(0, end));
        text.remove_prefix(end);
        if (std::find(known_operations.begin(), known_operations.end(), name) == known_operations.end())
            throw s.fail("unknown operation '" + printable_for_log(name) +
                         "' (order, revoke, account, deactivate, keychange)");
        result.insert(name);
    }
    if (result.empty())
        throw s.fail("operations is empty");
    return result;
}

unsigned parse_rate(const setting& s)
{
    const auto value = parse_number<unsigned>(s.value->text, 0, max_rate);
    if (!value)
        throw s.fail("invalid max-orders-per-hour '" + printable_for_log(s.value->text) + "' (0 to 3600)");
    return *value;
}

std::string parse_label(const setting& s)
{
    if (!is_label(s.value->text))
        throw s.fail("invalid label '" + printable_for_log(s.value->text) + "' (letters, digits, '.', '_', '-')");
    return s.value->text;
}

std::string parse_ca(const setting& s)
{
    const std::string& url = s.value->text;
    if (!url.starts_with("https://") && !url.starts_with("http://"))
        throw s.fail("ca is not an http(s) URL: '" + printable_for_log(url) + "'");
    // A prefix check: without the slash, https://ca.example would also match https://ca.example.evil/.
    if (!url.ends_with('/'))
        throw s.fail("ca must end with '/': '" + printable_for_log(url) + "'");
    return url;
}

identifier_patterns parse_identifiers(const setting& s)
{
    try {
        return identifier_patterns::parse(s.value->text);
    } catch (const error& e) {
        throw s.fail(e.what());
    }
}

void allow_wildcards(const setting& s, identifier_patterns& identifiers)
{
    try {
        identifiers.allow_wildcards(s.value->text);
    } catch (const error& e) {
        throw s.fail(e.what());
    }
}

std::string parse_state_directory(const setting& s)
{
    if (!s.value->text.starts_with('/'))
        throw s.fail("state-directory is not an absolute path");
    return s.value->text;
}

signing_policy policy_from(const ini_config& config)
{
    const std::string& origin = config.origin();
    config.check(
        {{"", {}},
         {std::string(section),
          {"label", "ca", "identifiers", "wildcards", "operations", "max-orders-per-hour", "state-directory"}}});
    if (!config.has_section(section))
        throw error(origin + ": no [policy] section");
    const auto label = find(config, "label");
    if (!label.value)
        throw error(origin + ": [policy] has no label");
    signing_policy policy;
    policy.label = parse_label(label);
    policy.operations = {"order"};
    if (const auto s = find(config, "ca"); s.value)
        policy.ca = parse_ca(s);
    if (const auto s = find(config, "identifiers"); s.value)
        policy.identifiers = parse_identifiers(s);
    if (const auto s = find(config, "wildcards"); s.value)
        allow_wildcards(s, policy.identifiers);
    if (const auto s = find(config, "operations"); s.value)
        policy.operations = parse_operations(s);
    if (const auto s = find(config, "state-directory"); s.value) {
        policy.state_directory = parse_state_directory(s);
        policy.state_directory_origin = s.where;
    }
    if (const auto s = find(config, "max-orders-per-hour"); s.value) {
        policy.max_orders_per_hour = parse_rate(s);
        if (policy.max_orders_per_hour > 0 && !policy.state_directory)
            throw s.fail("max-orders-per-hour needs a state-directory");
    }
    return policy;
}

}  // namespace

signing_policy parse_signing_policy(std::string_view text, const std::string& origin)
{
    return policy_from(ini_config::parse(text, origin));
}

signing_policy read_signing_policy(const std::string& path)
{
    return policy_from(ini_config::read_file(path));
}

std::string describe(const signing_policy& policy)
{
    const auto words = [](const auto& list) {
        std::string text;
        for (const auto& word : list)
            text += (text.empty() ? "" : " ") + std::string(word);
        return text.empty() ? std::string("(none)") : text;
    };
    return "label: " + policy.label + "\nca: " + policy.ca.value_or("(any)") +
           "\nidentifiers: " + words(policy.identifiers.text()) +
           "\nwildcards: " + words(policy.identifiers.wildcards()) + "\noperations: " + words(policy.operations) +
           " (and always: get, challenge, lookup)\nmax-orders-per-hour: " +
           (policy.max_orders_per_hour == 0 ? "no limit" : std::to_string(policy.max_orders_per_hour)) +
           "\nstate-directory: " + policy.state_directory.value_or("(none)") + "\n";
}

}  // namespace lacme::accountd
