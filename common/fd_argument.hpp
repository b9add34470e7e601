// SPDX-License-Identifier: GPL-3.0-or-later
// Descriptor numbers handed over on a command line (the client's CONFIG_FD and SOCKET_FD, the
// webserver's FD, --new-key-fd): one parse, one check that the number is an open descriptor.
#pragma once

#include <string_view>

namespace lacme {

// text as an open file descriptor: decimal digits only, fits an int. Throws lacme::error
// "WHAT: invalid file descriptor 'TEXT'", or "WHAT: fd N: REASON" when N is not open.
[[nodiscard]] int parse_fd(std::string_view text, std::string_view what);

}  // namespace lacme
