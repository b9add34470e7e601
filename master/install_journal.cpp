// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/install_journal.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/json_member.hpp"
#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace lacme::master {
namespace {

constexpr std::size_t max_journal_size = std::size_t{64} * 1024;

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

}  // namespace

std::string install_journal_text(std::span<const journal_rename> renames)
{
    nlohmann::json journal = nlohmann::json::array();
    for (const auto& r : renames)
        journal.push_back({{"from", r.from}, {"to", r.to}});
    return journal.dump() + "\n";
}

// Anything but what install_journal writes (a member of another type included: the file may be
// corrupted) is a bad journal.
std::vector<journal_rename> parse_install_journal(std::string_view text, const std::string& journal_path,
                                                  const std::vector<std::string>& targets)
{
    const auto journal = nlohmann::json::parse(text, nullptr, false);
    if (!journal.is_array())
        throw error(journal_path + ": not an install journal");
    std::vector<journal_rename> renames;
    for (const auto& r : journal) {
        auto from = find_string_member(r, "from");
        auto to = find_string_member(r, "to");
        if (!from || !to)
            throw error(journal_path + ": not an install journal (a rename without from and to)");
        if (std::find(targets.begin(), targets.end(), *to) == targets.end() || !is_staged_temporary_of(*from, *to))
            throw error(journal_path + ": unexpected rename " + printable_for_log(*from) + " -> " +
                        printable_for_log(*to));
        renames.push_back({std::move(*from), std::move(*to)});
    }
    return renames;
}

std::string install_journal_path(const std::string& target)
{
    const std::string name = target.substr(target.rfind('/') + 1);
    return target.substr(0, target.size() - name.size()) + "." + name + ".lacme-install";
}

install_journal::install_journal(std::string path, std::span<const staged_file> files) : path_(std::move(path))
{
    std::vector<journal_rename> renames;
    for (const auto& f : files)
        renames.push_back({f.temp_path(), f.path()});
    lock_ = staged_file(path_, install_journal_text(renames), 0600, std::nullopt).commit_holding_lock();
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
    const auto renames =
        parse_install_journal(read_to_end(journal.get(), max_journal_size, journal_path), journal_path, targets);
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
