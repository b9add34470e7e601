// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/secret.hpp"

#include <openssl/crypto.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <new>
#include <utility>

namespace lacme {

secret_string secret_string::with_capacity(std::size_t capacity)
{
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t bytes = (capacity + 1 + page - 1) / page * page;
    // Whole pages of our own: mlock and madvise work per page, and no other object shares them.
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        throw std::bad_alloc();
    // Best effort: RLIMIT_MEMLOCK may refuse the lock; the secret is still wiped on destruction.
    ::mlock(p, bytes);
    ::madvise(p, bytes, MADV_DONTDUMP);
    secret_string s;
    s.data_ = static_cast<char*>(p);
    s.mapped_ = bytes;
    s.capacity_ = capacity;
    return s;
}

secret_string::secret_string(std::string_view value) : secret_string(with_capacity(value.size()))
{
    std::memcpy(data_, value.data(), value.size());
    size_ = value.size();
}

secret_string::secret_string(std::string&& value) : secret_string(std::string_view(value))
{
    OPENSSL_cleanse(value.data(), value.size());
    value.clear();
}

secret_string::secret_string(secret_string&& other) noexcept
{
    *this = std::move(other);
}

secret_string& secret_string::operator=(secret_string&& other) noexcept
{
    if (this != &other) {
        wipe();
        data_ = std::exchange(other.data_, nullptr);
        mapped_ = std::exchange(other.mapped_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

bool secret_string::push_back(char c) noexcept
{
    if (size_ == capacity_)
        return false;
    data_[size_++] = c;
    return true;
}

void secret_string::pop_back() noexcept
{
    if (size_ > 0)
        data_[--size_] = 0;
}

void secret_string::wipe() noexcept
{
    if (data_ == nullptr)
        return;
    OPENSSL_cleanse(data_, mapped_);
    ::munlock(data_, mapped_);
    ::munmap(data_, mapped_);
    data_ = nullptr;
    mapped_ = 0;
    capacity_ = 0;
    size_ = 0;
}

}  // namespace lacme
