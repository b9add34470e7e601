#include "pkcs11/pin_source.hpp"

#include "common/error.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace lacme::pkcs11 {
namespace {

// Longer than any token PIN; also the capacity reserved so the buffer never moves.
constexpr std::size_t max_pin = 255;

std::string pin_buffer()
{
    std::string s;
    s.reserve(max_pin + 1);
    return s;
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

// Reads up to a newline or EOF into pin; returns false on EOF before any byte.
bool read_line(int fd, std::string& pin, std::string_view what)
{
    bool any = false;
    for (;;) {
        char c;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("reading " + std::string(what));
        }
        if (n == 0)
            return any;
        any = true;
        if (c == '\n')
            break;
        if (pin.size() >= max_pin) {
            // Wipe what we have; do not keep a truncated secret.
            OPENSSL_cleanse(pin.data(), pin.size());
            throw error(std::string(what) + ": PIN longer than " + std::to_string(max_pin) + " bytes");
        }
        pin.push_back(c);
        c = 0;
    }
    if (!pin.empty() && pin.back() == '\r')
        pin.pop_back();
    return true;
}

}  // namespace

locked_pin::locked_pin(std::string value)
{
    // Lock whole pages around the buffer: mlock/madvise want page granularity. Another object on
    // the same page gets locked too, which is harmless.
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(value.data()) & ~(page - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(value.data()) + value.capacity() + page) & ~(page - 1);
    void* addr = reinterpret_cast<void*>(begin);
    if (::mlock(addr, end - begin) == 0) {
        locked_ = addr;
        locked_size_ = end - begin;
    }
    ::madvise(addr, end - begin, MADV_DONTDUMP);
    secret_ = secret_string(std::move(value));
}

locked_pin::locked_pin(locked_pin&& other) noexcept
    : secret_(std::move(other.secret_)),
      locked_(std::exchange(other.locked_, nullptr)),
      locked_size_(std::exchange(other.locked_size_, 0))
{
}

locked_pin::~locked_pin()
{
    secret_.wipe();
    if (locked_ != nullptr)
        ::munlock(locked_, locked_size_);
}

locked_pin read_pin_file(const std::string& path)
{
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd)
        throw_errno("PIN file " + path);
    std::string pin = pin_buffer();
    read_line(fd.get(), pin, "PIN file " + path);
    if (pin.empty())
        throw error("PIN file " + path + " is empty");
    return locked_pin(std::move(pin));
}

locked_pin read_pin_source(std::string_view source)
{
    std::string_view path = source;
    if (path.starts_with("file://"))
        path.remove_prefix(7);
    else if (path.starts_with("file:"))
        path.remove_prefix(5);
    if (!path.starts_with("/"))
        throw error("pin-source=" + std::string(source) + ": only file: sources with an absolute path are supported");
    return read_pin_file(std::string(path));
}

locked_pin prompt_pin(int tty_fd, std::string_view prompt)
{
    std::string pin = pin_buffer();
    {
        const echo_off quiet(tty_fd);
        for (std::string_view rest = prompt; !rest.empty();) {
            const ssize_t n = ::write(tty_fd, rest.data(), rest.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw_errno("writing the PIN prompt");
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
        if (!read_line(tty_fd, pin, "the terminal"))
            throw error("no PIN entered (end of input on the terminal)");
    }
    if (pin.empty())
        throw error("no PIN entered");
    return locked_pin(std::move(pin));
}

std::optional<locked_pin> prompt_pin_if_interactive(std::string_view prompt)
{
    if (::isatty(STDIN_FILENO) != 1)
        return std::nullopt;
    const unique_fd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
    if (!tty)
        return std::nullopt;
    return prompt_pin(tty.get(), prompt);
}

}  // namespace lacme::pkcs11
