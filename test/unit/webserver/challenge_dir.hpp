// SPDX-License-Identifier: GPL-3.0-or-later
// A private challenge directory (test/support's temp_dir) with an fd on it, as server_config's
// dir_fd and read_challenge_file take it.
#pragma once

#include "common/unique_fd.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>

#include <filesystem>
#include <string_view>

namespace lacme::test {

struct challenge_dir {
    challenge_dir() { BOOST_REQUIRE(fd.valid()); }

    [[nodiscard]] std::filesystem::path path() const { return dir.path(); }
    void write(std::string_view name, std::string_view content) const { write_file(dir.file(name), content); }

    temp_dir dir;
    unique_fd fd{::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
};

}  // namespace lacme::test
