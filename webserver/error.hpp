// The webserver's one exception type: a failed setup step, reported by main as one line.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace lacme::web {

class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws error "WHAT: strerror(errno)" with the errno current at the call.
[[noreturn]] void throw_errno(std::string_view what);

}  // namespace lacme::web
