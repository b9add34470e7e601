// SPDX-License-Identifier: GPL-3.0-or-later
// Splits a byte stream into CRLF-terminated lines with a hard length cap, so a peer that never
// sends a line end cannot make us buffer without bound.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lacme {

class line_buffer {
public:
    explicit line_buffer(std::size_t max_line) : max_line_(max_line) {}

    void append(std::string_view bytes) { buffer_.append(bytes); }

    // The next complete line without its "\r\n", if any. A line ending in a bare "\n" is
    // returned with bare_newline set so the caller can refuse it.
    struct line {
        std::string text;
        bool bare_newline = false;
    };
    std::optional<line> next();

    // True when the buffered partial line is already longer than the cap.
    [[nodiscard]] bool overflowed() const noexcept;
    [[nodiscard]] bool empty() const noexcept { return buffer_.size() == consumed_; }

private:
    std::size_t max_line_;
    std::string buffer_;
    std::size_t consumed_ = 0;
};

}  // namespace lacme
