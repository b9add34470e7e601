// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/fd_argument.hpp"

#include "common/error.hpp"
#include "common/parse_number.hpp"
#include "common/text.hpp"

#include <fcntl.h>

#include <limits>
#include <string>

namespace lacme {

int parse_fd(std::string_view text, std::string_view what)
{
    const auto fd = parse_number<int>(text, 0, std::numeric_limits<int>::max());
    if (!fd)
        throw error(std::string(what) + ": invalid file descriptor '" + printable_for_log(text, 20) + "'");
    if (::fcntl(*fd, F_GETFD) < 0)
        throw_errno(std::string(what) + ": fd " + std::to_string(*fd));
    return *fd;
}

}  // namespace lacme
