// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_stderr.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/log.hpp"
#include "common/text.hpp"

namespace lacme::master {

void client_stderr::feed(std::string_view bytes)
{
    lines_.append(bytes);
    while (auto line = lines_.next())
        pass_on(line->text);
    if (lines_.overflowed()) {
        pass_on("(a line longer than " + std::to_string(max_line) + " bytes, dropped)");
        lines_ = line_buffer(max_line);
    }
}

void client_stderr::set_section(const std::string& section)
{
    prefix_ = "[" + section + "] ";
    last_error_.reset();
    last_line_.reset();
}

void client_stderr::finish()
{
    // line_buffer keeps an unterminated tail: a final newline flushes it.
    feed("\n");
}

std::optional<std::string> client_stderr::reason() const
{
    return last_error_ ? last_error_ : last_line_;
}

void client_stderr::pass_on(std::string_view line)
{
    const std::string text = printable_for_log(trim(line), max_line);
    if (text.empty())
        return;
    last_line_ = text;
    if (text.starts_with(error_prefix))
        last_error_ = text.substr(error_prefix.size());
    try {
        write_all(out_, prefix_ + text + "\n", "stderr");
    } catch (const error&) {
        // a closed stderr must not fail the section; the reason is still kept
    }
}

}  // namespace lacme::master
