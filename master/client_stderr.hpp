// SPDX-License-Identifier: GPL-3.0-or-later
// The stderr of a client run for a certificate section: each line goes on to the master's stderr
// prefixed with "[SECTION] " (clients run concurrently: their lines interleave), and the last
// error line is kept as the reason of a failure, for the summary line and --json. Our client ends
// with "Error: REASON"; lacme 0.8's dies with the CA's status line or problem, unprefixed: its
// last line is the reason then.
#pragma once

#include "common/line_buffer.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lacme::master {

class client_stderr {
public:
    // out: the fd the prefixed lines are written to (the master's stderr).
    client_stderr(std::string section, int out) : prefix_("[" + std::move(section) + "] "), out_(out) {}

    // The section the lines that follow are for (a client serving many sections' orders); the
    // reason starts again from them.
    void set_section(const std::string& section);
    void feed(std::string_view bytes);
    // End of the stream: a last line without its newline is passed on too.
    void finish();
    // The last "Error: " line without that word, else the last non-empty line; nullopt if none.
    [[nodiscard]] std::optional<std::string> reason() const;

private:
    void pass_on(std::string_view line);

    std::string prefix_;
    int out_;
    line_buffer lines_{max_line};
    std::optional<std::string> last_error_;
    std::optional<std::string> last_line_;

    static constexpr std::size_t max_line = 4096;
};

}  // namespace lacme::master
