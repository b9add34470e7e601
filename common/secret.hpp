// SPDX-License-Identifier: GPL-3.0-or-later
// Holds PINs, passphrases and private key PEM: in pages of its own, locked out of swap (mlock)
// and left out of core dumps (MADV_DONTDUMP) where the system allows, wiped with OPENSSL_cleanse
// when destroyed, never copied implicitly. The buffer never moves, so no stale copy is left
// behind when the secret grows or is moved.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lacme {

class secret_string {
public:
    secret_string() noexcept = default;
    // Copies value into locked memory.
    explicit secret_string(std::string_view value);
    // Copies value into locked memory, then wipes value's own buffer.
    explicit secret_string(std::string&& value);
    // Empty, with room for capacity bytes, for readers that write straight into locked memory.
    static secret_string with_capacity(std::size_t capacity);

    secret_string(secret_string&& other) noexcept;
    secret_string& operator=(secret_string&& other) noexcept;
    secret_string(const secret_string&) = delete;
    secret_string& operator=(const secret_string&) = delete;
    ~secret_string() { wipe(); }

    [[nodiscard]] std::string_view reveal() const noexcept { return {data_ ? data_ : "", size_}; }
    // NUL-terminated, for C interfaces.
    [[nodiscard]] const char* c_str() const noexcept { return data_ ? data_ : ""; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

    // Appends c; false (and nothing appended) when the capacity is used up.
    [[nodiscard]] bool push_back(char c) noexcept;
    void pop_back() noexcept;
    // Overwrites the secret and releases its memory; the secret is then empty.
    void wipe() noexcept;

private:
    char* data_ = nullptr;
    std::size_t mapped_ = 0;  // whole pages, more than capacity_ (room for the terminating NUL)
    std::size_t capacity_ = 0;  // as asked, whatever the page size
    std::size_t size_ = 0;
};

}  // namespace lacme
