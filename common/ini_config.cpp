// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/ini_config.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

#include <fstream>
#include <sstream>

namespace lacme {
namespace {

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

// Config::Tiny drops " ; comment" (a ';' with blank on both sides and text after it).
std::string_view strip_inline_comment(std::string_view line)
{
    for (std::size_t i = 1; i + 2 < line.size(); ++i)
        if (line[i] == ';' && is_blank(line[i - 1]) && is_blank(line[i + 1]))
            return line.substr(0, i - 1);
    return line;
}

}  // namespace

ini_config ini_config::parse(std::string_view text, std::string origin)
{
    ini_config config;
    config.origin_ = std::move(origin);
    config.sections_[""];
    std::string current;
    int number = 0;
    while (!text.empty()) {
        // Lines end in \n, \r\n or a lone \r, as in Config::Tiny.
        const std::size_t end = text.find_first_of("\r\n");
        std::string_view line = text.substr(0, end);
        if (end == std::string_view::npos) {
            text = {};
        } else {
            std::size_t skip = end + 1;
            if (text[end] == '\r' && skip < text.size() && text[skip] == '\n')
                ++skip;
            text.remove_prefix(skip);
        }
        ++number;
        const std::string_view content = trim(line);
        if (content.empty() || content.front() == '#' || content.front() == ';')
            continue;
        line = trim(strip_inline_comment(line));
        if (line.front() == '[' && line.back() == ']') {
            const std::string_view name = trim(line.substr(1, line.size() - 2));
            if (name.empty())
                throw error(config.origin_ + ":" + std::to_string(number) + ": empty section name");
            current = std::string(name);
            auto& section = config.sections_[current];
            if (section.line == 0)
                section.line = number;
            continue;
        }
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty())
            throw error(config.origin_ + ":" + std::to_string(number) + ": syntax error: '" + std::string(line) + "'");
        config.sections_[current].values[std::string(trim(line.substr(0, eq)))] =
            value{std::string(trim(line.substr(eq + 1))), number};
    }
    return config;
}

ini_config ini_config::read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw_errno("can't open " + path);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw_errno("can't read " + path);
    return parse(text.str(), path);
}

void ini_config::check(const schema& allowed) const
{
    for (const auto& [name, section] : sections_) {
        const auto known = allowed.find(name);
        if (known == allowed.end()) {
            if (name.empty() && section.values.empty())
                continue;
            const int line = name.empty() ? section.values.begin()->second.line : section.line;
            throw error(origin_ + ":" + std::to_string(line) +
                        (name.empty() ? ": settings outside of a section" : ": unknown section [" + name + "]"));
        }
        for (const auto& [key, value] : section.values)
            if (!known->second.contains(key))
                throw error(origin_ + ":" + std::to_string(value.line) + ": unknown key '" + key + "'" +
                            (name.empty() ? std::string() : " in section [" + name + "]"));
    }
}

bool ini_config::has_section(std::string_view name) const
{
    const auto it = sections_.find(name);
    return it != sections_.end() && (!name.empty() || !it->second.values.empty() || it->second.line != 0);
}

std::optional<std::string> ini_config::get(std::string_view section, std::string_view key) const
{
    const auto s = sections_.find(section);
    if (s == sections_.end())
        return std::nullopt;
    const auto v = s->second.values.find(std::string(key));
    if (v == s->second.values.end())
        return std::nullopt;
    return v->second.text;
}

std::string ini_config::where(std::string_view section, std::string_view key) const
{
    const auto s = sections_.find(section);
    if (s != sections_.end())
        if (const auto v = s->second.values.find(std::string(key)); v != s->second.values.end())
            return origin_ + ":" + std::to_string(v->second.line);
    return origin_;
}

bool lenient_yes_no(std::string_view text, bool otherwise, std::optional<std::string>& warning)
{
    const std::string value = ascii_lower(text);
    warning.reset();
    if (value == "yes" || value == "no")
        return value == "yes";
    warning = "'" + std::string(text) + "' is neither Yes nor No: taken as " + (otherwise ? "Yes" : "No") +
              ", as lacme 0.8 does";
    return otherwise;
}

bool parse_yes_no(std::string_view key, std::string_view text)
{
    const std::string value = ascii_lower(text);
    if (value == "yes")
        return true;
    if (value == "no")
        return false;
    throw error("invalid value '" + std::string(text) + "' for " + std::string(key) + " (expected Yes or No)");
}

}  // namespace lacme
