// SPDX-License-Identifier: GPL-3.0-or-later
// lacme's %-specifiers (lacme(8) "%-specifiers"): %C %E %g %G %h %t %T %u %U %%, with the
// root/non-root rules of the Perl implementation.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace lacme {

class percent_expander {
public:
    using env_lookup = std::function<std::optional<std::string>(std::string_view)>;

    // Identity and environment of the calling process (call again after a privilege drop).
    static percent_expander for_current_process();
    percent_expander(uid_t uid, gid_t gid, env_lookup env);

    // Throws lacme::error for an unknown specifier or one that has no value (%t without
    // XDG_RUNTIME_DIR for a non-root user, an unknown uid...).
    [[nodiscard]] std::string expand(std::string_view text) const;

private:
    [[nodiscard]] std::optional<std::string> value_of(char specifier) const;
    [[nodiscard]] std::optional<std::string> env_or(std::string_view name, std::optional<std::string> fallback) const;

    uid_t uid_;
    gid_t gid_;
    env_lookup env_;
};

}  // namespace lacme
