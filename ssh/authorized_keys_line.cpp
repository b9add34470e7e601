// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssh/authorized_keys_line.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/text.hpp"
#include "common/unique_fd.hpp"
#include "ssh/openssh_public_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace lacme::ssh {
namespace {

// Characters that mean the same to sshd's option parser and to a POSIX shell: no quoting needed.
bool is_shell_safe_path_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("/._+,:@=-").find(c) != std::string_view::npos;
}

// from= patterns: host names, addresses, CIDR, wildcards (* ?) and negation (!), comma-separated.
bool is_pattern_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view(".:/*?!_-,").find(c) != std::string_view::npos;
}

// The absolute, lexically normal form of an existing regular file's path.
std::string absolute_file(std::string_view what, const std::string& path)
{
    if (path.empty())
        throw error(std::string(what) + " path is empty");
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw_errno(std::string(what) + " " + printable_for_log(path));
    if (!S_ISREG(st.st_mode))
        throw error(std::string(what) + " " + printable_for_log(path) + " is not a regular file");
    std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
    const auto bad = std::find_if_not(absolute.begin(), absolute.end(), is_shell_safe_path_char);
    if (bad != absolute.end())
        throw error(
            std::string(what) + " path " + printable_for_log(absolute) + " contains '" +
            printable_for_log(std::string_view(&*bad, 1)) +
            "', which an authorized_keys forced command cannot carry safely (use only letters, digits and /._+,:@=-)");
    return absolute;
}

std::string checked_patterns(const std::string& patterns)
{
    const auto bad = std::find_if_not(patterns.begin(), patterns.end(), is_pattern_char);
    const bool empty_item = patterns.empty() || patterns.front() == ',' || patterns.back() == ',' ||
                            patterns.find(",,") != std::string::npos;
    if (bad != patterns.end() || empty_item)
        throw error("--from=" + printable_for_log(patterns) +
                    " is not an sshd pattern-list (comma-separated addresses, CIDR, host names, * ? !)");
    return patterns;
}

openssh_public_key read_public_key(const std::string& path)
{
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    struct stat st {};
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0)
        throw_errno("public key file " + printable_for_log(path));
    if (!S_ISREG(st.st_mode))
        throw error("public key file " + printable_for_log(path) + " is not a regular file");
    std::string text = read_to_end(fd.get(), max_public_key_file, "public key file " + printable_for_log(path));
    if (text.ends_with('\n'))
        text.pop_back();
    auto key = parse_openssh_public_key(text);
    if (!key)
        throw error("public key file " + printable_for_log(path) +
                    " does not hold exactly one OpenSSH public key line (TYPE BASE64 [COMMENT])");
    if (key->is_certificate())
        throw error("public key file " + printable_for_log(path) +
                    " holds a certificate; authorized_keys takes the plain public key");
    return *key;
}

}  // namespace

std::string authorized_keys_line(const authorized_keys_request& request)
{
    if (!request.accountd.starts_with('/'))
        throw error("lacme-accountd path " + printable_for_log(request.accountd) + " is not absolute");
    const auto accountd = absolute_file("lacme-accountd", request.accountd);
    std::string command = accountd + " --quiet";
    if (request.relay) {
        const bool safe = !request.relay->empty() && !request.relay->starts_with('-') &&
                          std::all_of(request.relay->begin(), request.relay->end(), [](char c) {
                              return is_shell_safe_path_char(c) && c != '/' && c != ',' && c != ':' && c != '@' &&
                                     c != '=' && c != '+';
                          });
        if (!safe)
            throw error("listener name " + printable_for_log(*request.relay) + " cannot go into a forced command");
        command += " --relay=" + *request.relay;
    } else {
        command += " --stdio";
    }
    if (request.config)
        command += " --config=" + absolute_file("config file", *request.config);
    if (!request.relay)
        command += " --policy=" + absolute_file("policy file", request.policy);

    const auto key = read_public_key(request.public_key_file);
    std::string line = "restrict";
    if (request.from)
        line += ",from=\"" + checked_patterns(*request.from) + "\"";
    line += ",command=\"" + command + "\" " + key.text();
    if (!key.comment.empty())
        line += " " + key.comment;
    return line;
}

}  // namespace lacme::ssh
