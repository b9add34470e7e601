#include "webserver/error.hpp"

#include <cerrno>
#include <cstring>

namespace lacme::web {

void throw_errno(std::string_view what)
{
    const int err = errno;
    throw error(std::string(what) + ": " + std::strerror(err));
}

}  // namespace lacme::web
