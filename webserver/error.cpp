#include "webserver/error.hpp"

#include <uv.h>

#include <cerrno>
#include <cstring>

namespace lacme::web {

void throw_errno(std::string_view what)
{
    const int err = errno;
    throw error(std::string(what) + ": " + std::strerror(err));
}

void throw_uv(std::string_view what, int code)
{
    throw error(std::string(what) + ": " + uv_strerror(code));
}

}  // namespace lacme::web
