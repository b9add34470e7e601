// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/line_buffer.hpp"

namespace lacme {

std::optional<line_buffer::line> line_buffer::next()
{
    const std::size_t nl = buffer_.find('\n', consumed_);
    if (nl == std::string::npos) {
        // Compact once the consumed prefix dominates, keeping appends amortised O(1).
        if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
            buffer_.erase(0, consumed_);
            consumed_ = 0;
        }
        return std::nullopt;
    }
    line result;
    const bool crlf = nl > consumed_ && buffer_[nl - 1] == '\r';
    result.bare_newline = !crlf;
    result.text.assign(buffer_, consumed_, nl - consumed_ - (crlf ? 1 : 0));
    consumed_ = nl + 1;
    return result;
}

bool line_buffer::overflowed() const noexcept
{
    // +2 leaves room for the CRLF of a line of exactly max_line_ bytes.
    return buffer_.size() - consumed_ > max_line_ + 2 && buffer_.find('\n', consumed_) == std::string::npos;
}

}  // namespace lacme
