// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/secret_input.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

namespace lacme {
namespace {

// Reads up to a newline or EOF into secret, byte by byte so nothing past the line is consumed
// and no copy of it lands in a stdio buffer. Returns false at EOF before any byte.
bool read_secret_line(int fd, secret_string& secret, const std::string& what)
{
    bool any = false;
    char c = 0;
    for (;;) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno("can't read " + what);
        if (n == 0)
            break;
        any = true;
        if (c == '\n')
            break;
        if (!secret.push_back(c)) {
            OPENSSL_cleanse(&c, 1);
            throw error(what + ": line too long");
        }
    }
    OPENSSL_cleanse(&c, 1);
    if (secret.reveal().ends_with('\r'))
        secret.pop_back();
    return any;
}

// Restores the terminal's settings even when reading throws.
class echo_off {
public:
    explicit echo_off(int fd) : fd_(fd)
    {
        if (::tcgetattr(fd_, &saved_) != 0)
            throw_errno("tcgetattr on the terminal");
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHOE | ECHOK);
        quiet.c_lflag |= ECHONL;
        if (::tcsetattr(fd_, TCSAFLUSH, &quiet) != 0)
            throw_errno("turning off echo on the terminal");
    }
    echo_off(const echo_off&) = delete;
    echo_off& operator=(const echo_off&) = delete;
    ~echo_off() { ::tcsetattr(fd_, TCSAFLUSH, &saved_); }

private:
    int fd_;
    termios saved_{};
};

}  // namespace

secret_string read_secret_file(const std::string& path)
{
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd)
        throw_errno("can't open " + path);
    auto secret = secret_string::with_capacity(max_secret_line);
    read_secret_line(fd.get(), secret, path);
    return secret;
}

bool have_terminal()
{
    const unique_fd fd(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
    return fd.valid();
}

secret_string prompt_secret(int tty_fd, std::string_view prompt)
{
    auto secret = secret_string::with_capacity(max_secret_line);
    const echo_off quiet(tty_fd);
    write_all(tty_fd, prompt, "the terminal");
    if (!read_secret_line(tty_fd, secret, "the terminal"))
        throw error("nothing entered (end of input on the terminal)");
    return secret;
}

secret_string prompt_secret(std::string_view prompt)
{
    const unique_fd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
    if (!tty)
        throw error("no terminal to prompt on for: " + std::string(prompt));
    return prompt_secret(tty.get(), prompt);
}

}  // namespace lacme
