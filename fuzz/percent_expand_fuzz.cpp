// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes lacme's %-specifier expansion (config-certs items, paths in lacme.conf). Input: first
// byte picks the identity (root, a user with a passwd entry, a uid without one) and which
// variables the environment sets; then "NAME=VALUE" lines for the environment up to an empty
// line; the rest is the text. Invariants: a string or lacme::error, nothing else; text without
// '%' is its own expansion; "%%" stands for '%' (escaping any text gives it back); expansion
// is compositional (splitting the text between specifiers does not change the result).
#include "common/error.hpp"
#include "common/percent_expand.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

std::optional<std::string> expanded(const lacme::percent_expander& e, std::string_view text)
{
    try {
        return e.expand(text);
    } catch (const lacme::error&) {
        return std::nullopt;
    }
}

std::string escaped(std::string_view text)
{
    std::string out;
    for (const char c : text)
        out += c == '%' ? std::string("%%") : std::string(1, c);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const unsigned mode = data[0];
    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

    std::map<std::string, std::string, std::less<>> environment;
    while (!input.empty()) {
        const std::size_t nl = input.find('\n');
        const std::string_view line = input.substr(0, nl);
        input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
        if (line.empty())
            break;
        const std::size_t eq = line.find('=');
        environment[std::string(line.substr(0, eq))] =
            eq == std::string_view::npos ? std::string() : std::string(line.substr(eq + 1));
    }
    const uid_t uid = (mode & 3) == 0 ? 0 : (mode & 3) == 1 ? 65534 : 4242421;
    const lacme::percent_expander e(uid, uid, [&environment](std::string_view name) -> std::optional<std::string> {
        const auto it = environment.find(name);
        return it == environment.end() ? std::nullopt : std::optional<std::string>(it->second);
    });

    const std::string_view text = input;
    const auto whole = expanded(e, text);
    if (text.find('%') == std::string_view::npos)
        require(whole == std::string(text));
    require(expanded(e, escaped(text)) == std::string(text));

    // Cut where no specifier is split (not after an odd run of '%').
    std::size_t cut = (mode >> 2) % (text.size() + 1);
    std::size_t run = 0;
    for (std::size_t i = 0; i < cut; ++i)
        run = text[i] == '%' ? run + 1 : 0;
    if (run % 2 == 0) {
        const auto left = expanded(e, text.substr(0, cut));
        const auto right = expanded(e, text.substr(cut));
        require(whole.has_value() == (left && right));
        if (whole)
            require(*whole == *left + *right);
    }
    return 0;
}
