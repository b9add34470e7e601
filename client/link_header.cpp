// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/link_header.hpp"

#include "common/text.hpp"

namespace lacme::client {
namespace {

void skip_blanks(std::string_view& s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
}

// A quoted-string (with backslash escapes) or a token, up to ';' or ','.
std::string parameter_value(std::string_view& s)
{
    std::string value;
    if (!s.empty() && s.front() == '"') {
        s.remove_prefix(1);
        while (!s.empty() && s.front() != '"') {
            if (s.front() == '\\' && s.size() > 1)
                s.remove_prefix(1);
            value += s.front();
            s.remove_prefix(1);
        }
        if (!s.empty())
            s.remove_prefix(1);  // closing quote
        return value;
    }
    while (!s.empty() && s.front() != ';' && s.front() != ',' && s.front() != ' ' && s.front() != '\t') {
        value += s.front();
        s.remove_prefix(1);
    }
    return value;
}

// Advances past the rest of the current link (to just after the next top-level ',').
void skip_to_next_link(std::string_view& s)
{
    bool quoted = false;
    while (!s.empty()) {
        const char c = s.front();
        s.remove_prefix(1);
        if (c == '"')
            quoted = !quoted;
        else if (c == '\\' && quoted && !s.empty())
            s.remove_prefix(1);
        else if (c == ',' && !quoted)
            return;
    }
}

}  // namespace

std::vector<link> parse_link_header(std::string_view s)
{
    std::vector<link> links;
    while (true) {
        skip_blanks(s);
        while (!s.empty() && s.front() == ',') {
            s.remove_prefix(1);
            skip_blanks(s);
        }
        if (s.empty())
            break;
        if (s.front() != '<') {
            skip_to_next_link(s);
            continue;
        }
        const std::size_t close = s.find('>');
        if (close == std::string_view::npos)
            break;
        const std::string target(s.substr(1, close - 1));
        s.remove_prefix(close + 1);
        std::vector<std::string> rels;
        bool malformed = false;
        while (true) {
            skip_blanks(s);
            if (s.empty() || s.front() == ',')
                break;
            // cppcheck-suppress containerOutOfBounds ; not empty: the line above broke out
            if (s.front() != ';') {
                malformed = true;
                break;
            }
            s.remove_prefix(1);
            skip_blanks(s);
            std::size_t n = 0;
            while (n < s.size() && s[n] != '=' && s[n] != ';' && s[n] != ',' && s[n] != ' ' && s[n] != '\t')
                ++n;
            const std::string name = ascii_lower(s.substr(0, n));
            s.remove_prefix(n);
            skip_blanks(s);
            std::string value;
            if (!s.empty() && s.front() == '=') {
                s.remove_prefix(1);
                skip_blanks(s);
                value = parameter_value(s);
            }
            // RFC 8288 §3.3: only the first rel parameter counts; it may list several types.
            if (name == "rel" && rels.empty()) {
                std::string_view v(value);
                while (!v.empty()) {
                    skip_blanks(v);
                    std::size_t m = 0;
                    while (m < v.size() && v[m] != ' ' && v[m] != '\t')
                        ++m;
                    if (m > 0)
                        rels.push_back(ascii_lower(v.substr(0, m)));
                    v.remove_prefix(m);
                }
            }
        }
        if (malformed) {
            skip_to_next_link(s);
            continue;
        }
        for (auto& rel : rels)
            links.push_back({target, std::move(rel)});
    }
    return links;
}

std::vector<std::string> links_with_rel(const std::vector<std::string>& header_values, std::string_view rel)
{
    std::vector<std::string> targets;
    for (const auto& value : header_values)
        for (auto& l : parse_link_header(value))
            if (l.rel == rel)
                targets.push_back(std::move(l.target));
    return targets;
}

}  // namespace lacme::client
