// Where a token PIN comes from: the URI (pin-value=, pin-source=file:...), a PIN file, or a
// prompt on the terminal without echo. The PIN lives in a lacme::secret_string whose buffer is
// mlock'd and excluded from core dumps where the system allows; it is never logged.
#pragma once

#include "common/secret.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lacme::pkcs11 {

// A PIN that stays out of swap and core dumps (best effort) and is wiped on destruction.
class locked_pin {
public:
    // value should have been reserve()d beyond the small-string size, so that its buffer is on
    // the heap and keeps its address when moved into the secret_string.
    explicit locked_pin(std::string value);
    locked_pin(locked_pin&& other) noexcept;
    locked_pin& operator=(locked_pin&&) = delete;
    locked_pin(const locked_pin&) = delete;
    locked_pin& operator=(const locked_pin&) = delete;
    ~locked_pin();

    [[nodiscard]] const secret_string& secret() const noexcept { return secret_; }

private:
    secret_string secret_;
    void* locked_ = nullptr;
    std::size_t locked_size_ = 0;
};

// The PIN file's first line (without its line end); throws lacme::error naming the file. An
// empty PIN file is an error: it is almost always a mistake.
locked_pin read_pin_file(const std::string& path);

// pin-source values: "file:/path", "file:///path" or a plain absolute path.
locked_pin read_pin_source(std::string_view source);

// Asks on the terminal tty_fd (read and write, e.g. /dev/tty or a pty) with echo turned off,
// restoring the terminal afterwards; throws lacme::error on EOF or an empty answer.
locked_pin prompt_pin(int tty_fd, std::string_view prompt);

// prompt_pin on /dev/tty, when standard input is a terminal; nullopt otherwise (no one to ask).
std::optional<locked_pin> prompt_pin_if_interactive(std::string_view prompt);

}  // namespace lacme::pkcs11
