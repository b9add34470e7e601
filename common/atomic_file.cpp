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

#include <cerrno>
#include <memory>
#include <vector>

namespace lacme {
namespace {

constexpr std::string_view temp_marker = ".lacme-tmp.";

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

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

void write_file_atomically(const std::string& path, std::string_view contents, mode_t mode,
                           std::optional<file_owner> owner)
{
    std::string temp_path = temp_prefix(path) + "XXXXXX";
    std::vector<char> name(temp_path.begin(), temp_path.end());
    name.push_back('\0');
    unique_fd fd(::mkostemp(name.data(), O_CLOEXEC));
    if (!fd)
        throw_errno("can't create a temporary file beside " + path);
    temp_path.assign(name.data());
    try {
        if (::flock(fd.get(), LOCK_EX) != 0)
            throw_errno("lock " + temp_path);
        if (owner && ::fchown(fd.get(), owner->uid, owner->gid) != 0)
            throw_errno("chown " + temp_path);
        if (::fchmod(fd.get(), mode) != 0)  // after fchown, which may clear set-id bits
            throw_errno("chmod " + temp_path);
        write_all(fd.get(), contents, temp_path);
        if (::fsync(fd.get()) != 0)
            throw_errno("fsync " + temp_path);
        if (::rename(temp_path.c_str(), path.c_str()) != 0)
            throw_errno("rename " + temp_path + " to " + path);
    } catch (...) {
        ::unlink(temp_path.c_str());
        throw;
    }
    if (::close(fd.release()) != 0)
        throw_errno("close " + path);
    const std::string dir = parent_directory(path);
    const unique_fd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dirfd || ::fsync(dirfd.get()) != 0)
        throw_errno("fsync " + dir);
    remove_abandoned_temporaries(path);
}

}  // namespace lacme
