// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/percent_expand.hpp"

#include "common/error.hpp"
#include "common/user_db.hpp"

#include <unistd.h>

#include <cstdlib>

namespace lacme {
percent_expander percent_expander::for_current_process()
{
    return percent_expander(getuid(), getgid(), [](std::string_view name) -> std::optional<std::string> {
        const char* v = std::getenv(std::string(name).c_str());
        if (v == nullptr)
            return std::nullopt;
        return std::string(v);
    });
}

percent_expander::percent_expander(uid_t uid, gid_t gid, env_lookup env) : uid_(uid), gid_(gid), env_(std::move(env)) {}

std::optional<std::string> percent_expander::env_or(std::string_view name, std::optional<std::string> fallback) const
{
    if (auto v = env_(name); v && !v->empty())
        return v;
    return fallback;
}

std::optional<std::string> percent_expander::value_of(char specifier) const
{
    switch (specifier) {
    case 'C':
    case 'E': {
        const bool cache = specifier == 'C';
        if (uid_ == 0)
            return cache ? "/var/cache" : "/etc";
        const auto home = env_("HOME");
        std::optional<std::string> fallback;
        if (home)
            fallback = *home + (cache ? "/.cache" : "/.config");
        return env_or(cache ? "XDG_CACHE_HOME" : "XDG_CONFIG_HOME", fallback);
    }
    case 'g':
        if (auto group = find_group(gid_))
            return std::move(group->name);
        return std::nullopt;
    case 'G': return std::to_string(gid_);
    case 'h':
        if (auto user = find_user(uid_))
            return std::move(user->home);
        return std::nullopt;
    case 'u':
        if (auto user = find_user(uid_))
            return std::move(user->name);
        return std::nullopt;
    case 'U': return std::to_string(uid_);
    case 't': return uid_ == 0 ? std::optional<std::string>("/run") : env_or("XDG_RUNTIME_DIR", std::nullopt);
    case 'T': return env_or("TMPDIR", "/tmp");
    case '%': return "%";
    default: return std::nullopt;
    }
}

std::string percent_expander::expand(std::string_view text) const
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 1 == text.size())
            throw error("\"" + std::string(text) + "\" ends with a lone %");
        const char specifier = text[++i];
        if (std::string_view("CEgGhutTU%").find(specifier) == std::string_view::npos)
            throw error("\"" + std::string(text) + "\" has unknown specifier %" + specifier);
        const std::optional<std::string> value = value_of(specifier);
        if (!value)
            throw error("undefined expansion %" + std::string(1, specifier) + " in \"" + std::string(text) + "\"" +
                        (specifier == 't' ? " (XDG_RUNTIME_DIR is not set)" : ""));
        out += *value;
    }
    return out;
}

}  // namespace lacme
