// SPDX-License-Identifier: GPL-3.0-or-later
// Error types shared by every component: one exception type per layer, turned into a one-line
// message and a non-zero exit at the edge (main).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace lacme {

// Bad input or a failed operation that the user can act upon; what() is the whole message.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws lacme::error "WHAT: strerror(errno)" with the errno current at the call.
[[noreturn]] void throw_errno(std::string_view what);

}  // namespace lacme
