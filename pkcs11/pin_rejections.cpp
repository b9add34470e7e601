// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/pin_rejections.hpp"

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/file_lock.hpp"
#include "common/openssl_error.hpp"
#include "common/openssl_ptr.hpp"
#include "common/text.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <optional>
#include <vector>

namespace lacme::pkcs11 {
namespace {

constexpr std::size_t key_size = 32;
// A few lines per token at most; the oldest go first.
constexpr std::size_t max_lines = 64;
constexpr std::size_t max_file_size = std::size_t{64} * 1024;
// Another accountd holds the lock for one small read and write.
constexpr auto lock_wait = std::chrono::seconds(5);

// The directory's flock, for one read-modify-write of the files in it.
class dir_lock {
public:
    // Throws lacme::error; a missing directory is an error here (callers check first).
    explicit dir_lock(const std::string& dir) : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC))
    {
        if (!fd_)
            throw_errno("can't open " + dir);
        if (!lock_exclusively_within(fd_.get(), dir, lock_wait))
            throw error("can't lock " + dir + ": another process holds it");
    }

private:
    unique_fd fd_;
};

bool exists(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::vector<std::string> lines_of(std::string_view text)
{
    std::vector<std::string> lines;
    while (!text.empty()) {
        const auto end = text.find('\n');
        if (const auto line = text.substr(0, end); !line.empty())
            lines.emplace_back(line);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    }
    return lines;
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& line : lines)
        out.append(line).append("\n");
    return out;
}

std::optional<secret_string> read_key(const std::string& path)
{
    auto bytes = read_file_if_present(path, max_file_size, true);
    if (!bytes)
        return std::nullopt;
    secret_string key(std::move(*bytes));
    if (key.size() != key_size)
        throw error(path + " is damaged (not " + std::to_string(key_size) +
                    " bytes): delete it and the rejections beside it");
    return key;
}

secret_string create_key(const std::string& path)
{
    secret_string key(std::string(key_size, '\0'));
    if (RAND_priv_bytes(reinterpret_cast<unsigned char*>(const_cast<char*>(key.reveal().data())), key_size) != 1)
        throw_openssl("generating the PIN rejection key");
    write_file_atomically(path, key.reveal(), 0600);
    return key;
}

std::string serial_field(std::string_view serial)
{
    return hex_lower({reinterpret_cast<const std::uint8_t*>(serial.data()), serial.size()});
}

// "SERIAL-HEX HMAC-HEX": HMAC-SHA256 over the serial, a newline and the PIN.
std::string record(const secret_string& key, std::string_view serial, const secret_string& pin)
{
    const evp_mac_ptr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    const evp_mac_ctx_ptr ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    const auto bytes = [](std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); };
    std::uint8_t out[32];
    std::size_t len = 0;
    if (!ctx || EVP_MAC_init(ctx.get(), bytes(key.reveal()), key.size(), params) != 1 ||
        EVP_MAC_update(ctx.get(), bytes(serial), serial.size()) != 1 ||
        EVP_MAC_update(ctx.get(), bytes("\n"), 1) != 1 ||
        EVP_MAC_update(ctx.get(), bytes(pin.reveal()), pin.size()) != 1 ||
        EVP_MAC_final(ctx.get(), out, &len, sizeof out) != 1)
        throw_openssl("HMAC of the rejected PIN");
    return serial_field(serial) + " " + hex_lower({out, len});
}

}  // namespace

pin_rejections::pin_rejections(std::string dir) : dir_(std::move(dir)) {}

std::string pin_rejections::file() const
{
    return dir_ + "/pin-rejections";
}

bool pin_rejections::contains(std::string_view serial, const secret_string& pin) const
{
    if (!exists(dir_))
        return false;
    const dir_lock lock(dir_);
    const auto text = read_file_if_present(file(), max_file_size);
    const auto key = text ? read_key(file() + ".key") : std::nullopt;
    if (!key)
        return false;
    const auto lines = lines_of(*text);
    return std::find(lines.begin(), lines.end(), record(*key, serial, pin)) != lines.end();
}

void pin_rejections::check_writable() const
{
    // Nothing is created here: a run whose PINs all pass leaves no trace.
    std::filesystem::path existing(dir_);
    while (!exists(existing.string()) && existing.has_relative_path()) {
        existing = existing.parent_path();
        if (existing.empty())
            existing = ".";
    }
    if (::faccessat(AT_FDCWD, existing.c_str(), W_OK | X_OK, AT_EACCESS) != 0)
        throw_errno("can't write in " + existing.string() + (existing == dir_ ? "" : " to create " + dir_));
}

void pin_rejections::add(std::string_view serial, const secret_string& pin) const
{
    if (!exists(dir_)) {
        std::filesystem::create_directories(std::filesystem::path(dir_).parent_path());
        if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST)
            throw_errno("can't create " + dir_);
    }
    const dir_lock lock(dir_);
    auto key = read_key(file() + ".key");
    if (!key)
        key = create_key(file() + ".key");
    auto lines = lines_of(read_file_if_present(file(), max_file_size).value_or(""));
    const std::string line = record(*key, serial, pin);
    if (std::find(lines.begin(), lines.end(), line) != lines.end())
        return;
    lines.push_back(line);
    if (lines.size() > max_lines)
        lines.erase(lines.begin(), lines.end() - max_lines);
    write_file_atomically(file(), joined(lines), 0600);
}

void pin_rejections::remove(std::string_view serial) const
{
    if (!exists(file()))
        return;
    const dir_lock lock(dir_);
    auto lines = lines_of(read_file_if_present(file(), max_file_size).value_or(""));
    const std::string prefix = serial_field(serial) + " ";
    const auto removed = std::erase_if(lines, [&](const std::string& l) { return l.starts_with(prefix); });
    if (removed != 0)
        write_file_atomically(file(), joined(lines), 0600);
}

}  // namespace lacme::pkcs11
