// SPDX-License-Identifier: GPL-3.0-or-later
// The sandbox table a man page prints (between its ".\" sandbox-table begin/end" lines), for
// the tests that keep each page equal to its role's policy (common/sandbox.hpp).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace lacme::test {

inline std::string man_sandbox_table(const std::string& page)
{
    std::ifstream in(std::string(LACME_SOURCE_DIR) + "/man/" + page);
    if (!in)
        throw std::runtime_error("cannot read man/" + page);
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    const std::string begin = ".\\\" sandbox-table begin\n";
    const std::string end = ".\\\" sandbox-table end\n";
    const auto from = s.find(begin);
    const auto to = s.find(end);
    if (from == std::string::npos || to == std::string::npos || to < from)
        throw std::runtime_error("man/" + page + " has no sandbox-table block");
    return s.substr(from + begin.size(), to - from - begin.size());
}

}  // namespace lacme::test
