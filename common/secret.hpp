// Holds PINs and passphrases: wiped with OPENSSL_cleanse when destroyed, never copied implicitly.
#pragma once

#include <openssl/crypto.h>

#include <string>
#include <utility>

namespace lacme {

class secret_string {
public:
    secret_string() = default;
    explicit secret_string(std::string value) : value_(std::move(value)) {}
    secret_string(secret_string&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
    secret_string& operator=(secret_string&& other) noexcept
    {
        wipe();
        value_ = std::move(other.value_);
        other.wipe();
        return *this;
    }
    secret_string(const secret_string&) = delete;
    secret_string& operator=(const secret_string&) = delete;
    ~secret_string() { wipe(); }

    [[nodiscard]] const std::string& reveal() const noexcept { return value_; }
    [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

    void wipe() noexcept
    {
        if (!value_.empty())
            OPENSSL_cleanse(value_.data(), value_.size());
        value_.clear();
    }

private:
    std::string value_;
};

}  // namespace lacme
