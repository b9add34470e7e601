// SPDX-License-Identifier: GPL-3.0-or-later
// INI configuration files with the rules of Perl's Config::Tiny, which lacme uses: `[section]`
// headers, `key = value` lines (surrounding blanks trimmed), `#`/`;` comment lines, " ; " inline
// comments, later keys overriding earlier ones. Unlike Config::Tiny we remember line numbers so
// that every error names the file and line.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace lacme {

class ini_config {
public:
    struct value {
        std::string text;
        int line;
    };
    struct section {
        int line = 0;  // 0 for the default section, which has no header
        std::map<std::string, value> values;
    };
    // Allowed keys per section name; the default section is named "".
    using schema = std::map<std::string, std::set<std::string>, std::less<>>;

    static ini_config parse(std::string_view text, std::string origin);
    static ini_config read_file(const std::string& path);

    // Throws lacme::error "FILE:LINE: unknown section [x]" / "unknown key 'k' in section [x]".
    void check(const schema& allowed) const;

    [[nodiscard]] bool has_section(std::string_view name) const;
    [[nodiscard]] std::optional<std::string> get(std::string_view section, std::string_view key) const;
    // "FILE:LINE" of the key, or "FILE" when it is not set (its default applies), for messages.
    [[nodiscard]] std::string where(std::string_view section, std::string_view key) const;
    [[nodiscard]] const std::string& origin() const noexcept { return origin_; }
    // Every section by name, the default one ("") included, for readers whose section names are
    // data (lacme-certs.conf).
    [[nodiscard]] const auto& sections() const noexcept { return sections_; }

private:
    std::string origin_;
    std::map<std::string, section, std::less<>> sections_;
};

// lacme's boolean settings: "Yes"/"No" (case-insensitive); anything else is an error naming key.
bool parse_yes_no(std::string_view key, std::string_view text);

// How lacme 0.8 reads a boolean: it compares with one word only (`iptables` is on for "yes",
// `quiet` and `SSL_verify` are off for "no", case-insensitive), so any other text is `otherwise`.
// warning is set when text is neither Yes nor No, saying how it was taken.
bool lenient_yes_no(std::string_view text, bool otherwise, std::optional<std::string>& warning);

}  // namespace lacme
