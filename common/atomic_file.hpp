// Whole-file replacement that never leaves a half-written or missing file: write a temporary
// file beside the target with an explicit mode, fsync it, rename it over the target, fsync the
// directory.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace lacme {

void write_file_atomically(const std::string& path, std::string_view contents, mode_t mode);

}  // namespace lacme
