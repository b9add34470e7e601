// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/atomic_file.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/path.hpp"
#include "common/unique_fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <vector>

namespace lacme {
namespace {

constexpr std::string_view temp_marker = ".lacme-tmp.";

std::string base_name(const std::string& path)
{
    return path.substr(path.rfind('/') + 1);
}

std::string temp_prefix(const std::string& path)
{
    return path.substr(0, path.size() - base_name(path).size()) + "." + base_name(path) + std::string(temp_marker);
}

// A temporary file nobody holds locked belongs to a writer that died before its rename.
void remove_if_abandoned(int dirfd, const char* name)
{
    const unique_fd fd(::openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (fd && ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0)
        ::unlinkat(dirfd, name, 0);
}

void remove_abandoned_temporaries(const std::string& path)
{
    struct dir_closer {
        void operator()(DIR* d) const noexcept { ::closedir(d); }
    };
    const std::unique_ptr<DIR, dir_closer> dir(::opendir(parent_directory(path).c_str()));
    if (!dir)
        return;  // best effort: the write itself has succeeded
    const std::string prefix = "." + base_name(path) + std::string(temp_marker);
    while (const dirent* entry = ::readdir(dir.get())) {
        const std::string_view name(entry->d_name);
        if (name.size() == prefix.size() + 6 && name.starts_with(prefix))
            remove_if_abandoned(::dirfd(dir.get()), entry->d_name);
    }
}

}  // namespace

staged_file::staged_file(std::string path, std::string_view contents, mode_t mode, std::optional<file_owner> owner)
    : path_(std::move(path))
{
    std::string temp_path = temp_prefix(path_) + "XXXXXX";
    std::vector<char> name(temp_path.begin(), temp_path.end());
    name.push_back('\0');
    fd_ = unique_fd(::mkostemp(name.data(), O_CLOEXEC));
    if (!fd_)
        throw_errno("can't create a temporary file beside " + path_);
    temp_path_.assign(name.data());
    try {
        if (::flock(fd_.get(), LOCK_EX) != 0)
            throw_errno("lock " + temp_path_);
        if (owner && ::fchown(fd_.get(), owner->uid, owner->gid) != 0)
            throw_errno("chown " + temp_path_);
        if (::fchmod(fd_.get(), mode) != 0)  // after fchown, which may clear set-id bits
            throw_errno("chmod " + temp_path_);
        write_all(fd_.get(), contents, temp_path_);
        if (::fsync(fd_.get()) != 0)
            throw_errno("fsync " + temp_path_);
    } catch (...) {
        ::unlink(temp_path_.c_str());
        throw;
    }
}

staged_file::~staged_file()
{
    if (fd_)
        ::unlink(temp_path_.c_str());
}

void staged_file::commit()
{
    if (::close(commit_holding_lock().release()) != 0)
        throw_errno("close " + path_);
}

unique_fd staged_file::commit_holding_lock()
{
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0)
        throw_errno("rename " + temp_path_ + " to " + path_);
    unique_fd held = std::move(fd_);
    sync_parent_directory(path_);
    remove_abandoned_temporaries(path_);
    return held;
}

void sync_parent_directory(const std::string& path)
{
    const std::string dir = parent_directory(path);
    const unique_fd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dirfd || ::fsync(dirfd.get()) != 0)
        throw_errno("fsync " + dir);
}

bool is_staged_temporary_of(const std::string& temp_path, const std::string& path)
{
    // mkostemp's six letters and digits: nothing else (a NUL would cut the path short for rename()).
    const auto mkstemp_character = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    };
    const std::string prefix = temp_prefix(path);
    return temp_path.size() == prefix.size() + 6 && temp_path.starts_with(prefix) &&
           std::all_of(temp_path.begin() + static_cast<std::ptrdiff_t>(prefix.size()), temp_path.end(),
                       mkstemp_character);
}

void write_file_atomically(const std::string& path, std::string_view contents, mode_t mode,
                           std::optional<file_owner> owner)
{
    staged_file(path, contents, mode, owner).commit();
}

}  // namespace lacme
