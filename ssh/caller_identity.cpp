// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssh/caller_identity.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/parse_number.hpp"
#include "common/unique_fd.hpp"
#include "ssh/openssh_public_key.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <vector>

namespace lacme::ssh {
namespace {

// SSH_CONNECTION is four addresses and ports; anything longer is not sshd's.
constexpr std::size_t max_ssh_connection = 256;

std::optional<std::string_view> environment(const char* name)
{
    const char* value = std::getenv(name);
    if (value == nullptr)
        return std::nullopt;
    return std::string_view(value);
}

std::vector<std::string_view> split_spaces(std::string_view text)
{
    std::vector<std::string_view> words;
    while (!text.empty()) {
        const auto end = text.find(' ');
        words.push_back(text.substr(0, end));
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return words;
}

bool is_ip_address(std::string_view text)
{
    if (text.find('\0') != std::string_view::npos)
        return false;  // inet_pton would stop at it and accept what comes before
    const std::string copy(text);
    unsigned char buffer[sizeof(in6_addr)];
    return ::inet_pton(AF_INET, copy.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, copy.c_str(), buffer) == 1;
}

bool is_port(std::string_view text)
{
    return !text.starts_with('0') && parse_number<unsigned>(text, 1, 65535);
}

// The file sshd wrote for this session, read with a size cap and only if it is a regular file
// (not a FIFO or device that would block or never end); nullopt if it cannot be read.
std::optional<std::string> read_auth_info(std::string_view path)
{
    const unique_fd fd(::open(std::string(path).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
    struct stat st {};
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    try {
        return read_to_end(fd.get(), max_auth_info_size, "SSH_USER_AUTH file");
    } catch (const error&) {
        return std::nullopt;
    }
}

}  // namespace

std::string address_from_ssh_connection(std::string_view value)
{
    if (value.size() > max_ssh_connection)
        return {};
    const auto words = split_spaces(value);
    if (words.size() != 4 || !is_ip_address(words[0]) || !is_port(words[1]))
        return {};
    return std::string(words[0]) + " " + std::string(words[1]);
}

bool is_caller_address(std::string_view text)
{
    const auto words = split_spaces(text);
    return words.size() == 2 && is_ip_address(words[0]) && is_port(words[1]);
}

std::string key_from_auth_info(std::string_view contents)
{
    constexpr std::string_view method = "publickey ";
    while (!contents.empty()) {
        const auto end = contents.find('\n');
        const auto line = contents.substr(0, end);
        if (line.starts_with(method)) {
            const auto key = parse_openssh_public_key(line.substr(method.size()));
            return key ? key->text() : std::string();
        }
        if (end == std::string_view::npos)
            break;
        contents.remove_prefix(end + 1);
    }
    return {};
}

caller_identity caller_from(std::optional<std::string_view> ssh_connection,
                            std::optional<std::string_view> ssh_user_auth)
{
    caller_identity caller;
    if (ssh_connection)
        caller.address = address_from_ssh_connection(*ssh_connection);
    if (ssh_user_auth && !ssh_user_auth->empty()) {
        if (const auto contents = read_auth_info(*ssh_user_auth))
            caller.key = key_from_auth_info(*contents);
    }
    return caller;
}

caller_identity caller_from_environment()
{
    return caller_from(environment("SSH_CONNECTION"), environment("SSH_USER_AUTH"));
}

std::string describe(const caller_identity& caller)
{
    if (caller.address.empty() && caller.key.empty())
        return "local";
    std::string text;
    if (!caller.address.empty()) {
        const auto space = caller.address.find(' ');
        text = caller.address.substr(0, space) + " port " + caller.address.substr(space + 1);
    }
    if (const auto key = parse_openssh_public_key(caller.key)) {
        if (!text.empty())
            text += ' ';
        text += "key " + key->type + " " + fingerprint(*key);
    }
    return text.empty() ? "local" : text;
}

}  // namespace lacme::ssh
