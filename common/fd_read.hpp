// Reading a whole file descriptor with a size cap, so no input can make us buffer without bound.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lacme {

// Reads fd to EOF. More than cap bytes is a lacme::error naming `what`. With secret set the
// buffer is allocated once (cap bytes) and wiped on error, so no stray partial copy of the
// contents stays on the heap; wipe the result after use (secret_string).
std::string read_to_end(int fd, std::size_t cap, std::string_view what, bool secret = false);

}  // namespace lacme
