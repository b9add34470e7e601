// SPDX-License-Identifier: GPL-3.0-or-later
// The sandbox table a man page prints (between its ".\" sandbox-table begin/end" lines, or
// ".\" sandbox-table begin/end NAME" for a page with several), for the tests that keep each page
// equal to its role's policy (common/sandbox.hpp).
#pragma once

#include "common/sandbox.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace lacme::test {

inline std::string man_sandbox_table(const std::string& page, const std::string& name = "")
{
    std::ifstream in(std::string(LACME_SOURCE_DIR) + "/man/" + page);
    if (!in)
        throw std::runtime_error("cannot read man/" + page);
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    const std::string suffix = name.empty() ? "\n" : " " + name + "\n";
    const std::string begin = ".\\\" sandbox-table begin" + suffix;
    const std::string end = ".\\\" sandbox-table end" + suffix;
    const auto from = s.find(begin);
    const auto to = s.find(end);
    if (from == std::string::npos || to == std::string::npos || to < from)
        throw std::runtime_error("man/" + page + " has no sandbox-table block " + name);
    return s.substr(from + begin.size(), to - from - begin.size());
}

// The names of a role's own rules that the base already has (each role names only its
// additions, so that the base is one table in one place): empty when the role is right.
inline std::string rules_repeating_the_base(const sandbox::policy& p)
{
    std::string repeated;
    for (const auto& rule : p.syscalls)
        if (std::any_of(sandbox::base_syscalls().begin(), sandbox::base_syscalls().end(),
                        [&](const sandbox::syscall_rule& base) { return base.name == rule.name; }))
            repeated += std::string(rule.name) + " ";
    return repeated;
}

}  // namespace lacme::test
