// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/install_journal.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/json_member.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace lacme::master {
namespace {

constexpr std::size_t max_journal_size = 64 * 1024;

void remove_journal(const std::string& path)
{
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        throw_errno("unlink " + path);
    sync_parent_directory(path);
}

bool is_regular_file(const std::string& path)
{
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

struct pending_rename {
    std::string from, to;
};

// The journal's renames, as written by install_journal; anything else (a member of another type
// included: the file may be corrupted) is a bad journal.
std::vector<pending_rename> read_renames(int journal, const std::string& journal_path)
{
    const auto renames = nlohmann::json::parse(read_to_end(journal, max_journal_size, journal_path), nullptr, false);
    if (!renames.is_array())
        throw error(journal_path + ": not an install journal");
    std::vector<pending_rename> out;
    for (const auto& r : renames) {
        auto from = find_string_member(r, "from");
        auto to = find_string_member(r, "to");
        if (!from || !to)
            throw error(journal_path + ": not an install journal (a rename without from and to)");
        out.push_back({std::move(*from), std::move(*to)});
    }
    return out;
}

}  // namespace

std::string install_journal_path(const std::string& target)
{
    const std::string name = target.substr(target.rfind('/') + 1);
    return target.substr(0, target.size() - name.size()) + "." + name + ".lacme-install";
}

install_journal::install_journal(std::string path, std::span<const staged_file> files) : path_(std::move(path))
{
    nlohmann::json renames = nlohmann::json::array();
    for (const auto& f : files)
        renames.push_back({{"from", f.temp_path()}, {"to", f.path()}});
    lock_ = staged_file(path_, renames.dump() + "\n", 0600, std::nullopt).commit_holding_lock();
}

void install_journal::complete()
{
    remove_journal(path_);
    lock_.reset();
}

std::vector<std::string> complete_interrupted_install(const std::string& journal_path,
                                                      const std::vector<std::string>& targets)
{
    const unique_fd journal(::open(journal_path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!journal) {
        if (errno == ENOENT)
            return {};
        throw_errno("open " + journal_path);
    }
    struct stat st {};
    if (::fstat(journal.get(), &st) != 0 || !S_ISREG(st.st_mode))
        throw error(journal_path + ": not an install journal");
    if (::flock(journal.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            throw error("another lacme run is installing this certificate (" + journal_path + " is locked)");
        throw_errno("lock " + journal_path);
    }
    const auto renames = read_renames(journal.get(), journal_path);
    for (const auto& [from, to] : renames)
        if (std::find(targets.begin(), targets.end(), to) == targets.end() || !is_staged_temporary_of(from, to))
            throw error(journal_path + ": unexpected rename " + from + " -> " + to);
    std::vector<std::string> replaced;
    for (const auto& [from, to] : renames) {
        if (!is_regular_file(from))
            continue;  // renamed before the crash
        if (::rename(from.c_str(), to.c_str()) != 0)
            throw_errno("rename " + from + " to " + to);
        sync_parent_directory(to);
        replaced.push_back(to);
    }
    remove_journal(journal_path);
    return replaced;
}

}  // namespace lacme::master
