#include "common/secret_input.hpp"

#include "common/error.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

namespace lacme {
namespace {

// Reads until newline or EOF into a secret; at most 4 KiB (no PIN or passphrase is longer).
secret_string read_secret_line(int fd, const std::string& what)
{
    std::string buffer;
    buffer.reserve(4096);  // no reallocation, so no stray copies of the secret on the heap
    char c;
    for (;;) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            secret_string wipe(std::move(buffer));
            throw_errno("can't read " + what);
        }
        if (n == 0 || c == '\n')
            break;
        if (buffer.size() == 4095) {
            secret_string wipe(std::move(buffer));
            throw error(what + ": line too long");
        }
        buffer += c;
    }
    if (!buffer.empty() && buffer.back() == '\r')
        buffer.pop_back();
    return secret_string(std::move(buffer));
}

}  // namespace

secret_string read_secret_file(const std::string& path)
{
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd)
        throw_errno("can't open " + path);
    return read_secret_line(fd.get(), path);
}

bool have_terminal()
{
    const unique_fd fd(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
    return fd.valid();
}

secret_string prompt_secret(std::string_view prompt)
{
    const unique_fd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
    if (!tty)
        throw error("no terminal to prompt for " + std::string(prompt));
    termios saved{};
    if (::tcgetattr(tty.get(), &saved) != 0)
        throw_errno("tcgetattr /dev/tty");
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    if (::tcsetattr(tty.get(), TCSAFLUSH, &quiet) != 0)
        throw_errno("tcsetattr /dev/tty");
    const std::string text = std::string(prompt) + ": ";
    const bool prompted = ::write(tty.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
    struct restore_echo {
        int fd;
        const termios& mode;
        ~restore_echo() { ::tcsetattr(fd, TCSAFLUSH, &mode); }
    } restore{tty.get(), saved};
    if (!prompted)
        throw_errno("write /dev/tty");
    return read_secret_line(tty.get(), "/dev/tty");
}

}  // namespace lacme
