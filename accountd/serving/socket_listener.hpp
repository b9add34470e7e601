// SPDX-License-Identifier: GPL-3.0-or-later
// The UNIX-domain socket lacme-accountd serves on (lacme-accountd 0.8 rules: parent directory
// not group/other-writable, socket created mode 0600), with what 0.8 lacks: a live socket is
// never clobbered, a stale one is replaced, and only our own socket is unlinked at exit.
#pragma once

#include "common/unique_fd.hpp"

#include <sys/types.h>

#include <string>

namespace lacme::accountd {

class socket_listener {
public:
    // What the socket's directory may let others do: lacme 0.8's rule (not write), or nothing
    // (the relay socket: only lacme-accountd's own uid may reach it).
    enum class directory_rule { not_writable_by_others, private_to_owner };

    explicit socket_listener(std::string path, directory_rule rule = directory_rule::not_writable_by_others);
    socket_listener(const socket_listener&) = delete;
    socket_listener& operator=(const socket_listener&) = delete;
    ~socket_listener();  // unlinks the socket if it is still ours

    [[nodiscard]] int fd() const noexcept { return fd_.get(); }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
    unique_fd fd_;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
};

}  // namespace lacme::accountd
