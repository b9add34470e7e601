#include "master/challenge_directory.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/unique_fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace lacme::master {
namespace {

struct dir_closer {
    void operator()(DIR* d) const noexcept { ::closedir(d); }
};

std::vector<std::string> entries_of(const std::string& path)
{
    const std::unique_ptr<DIR, dir_closer> dir(::opendir(path.c_str()));
    if (!dir)
        throw_errno("opendir(" + path + ")");
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(dir.get())) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..")
            names.push_back(name);
    }
    return names;
}

uid_t uid_of(const std::string& user)
{
    const passwd* pw = ::getpwnam(user.c_str());
    if (pw == nullptr)
        throw error("unknown user " + user);
    return pw->pw_uid;
}

// Unlinks the (flat) directory's entries; the lock file, if any, goes last.
void empty_directory(const std::string& path) noexcept
{
    try {
        bool had_lock = false;
        for (const auto& name : entries_of(path)) {
            if (name == challenge_lock_name)
                had_lock = true;
            else
                ::unlink((path + "/" + name).c_str());
        }
        if (had_lock)
            ::unlink((path + "/" + challenge_lock_name).c_str());
    } catch (const error&) {
        // Gone or unreadable at the end of the run: nothing left that we could clean.
    }
}

}  // namespace

challenge_directory challenge_directory::fresh(const std::string& client_user)
{
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/acme-challenge.XXXXXX";
    if (::mkdtemp(path.data()) == nullptr)
        throw_errno("mkdtemp(" + path + ")");
    challenge_directory dir(path, true);
    if (::chmod(path.c_str(), 0755) != 0)
        throw_errno("chmod(" + path + ")");
    if (!client_user.empty() && ::chown(path.c_str(), uid_of(client_user), static_cast<gid_t>(-1)) != 0)
        throw_errno("chown(" + path + ")");
    return dir;
}

challenge_directory challenge_directory::existing(const std::string& path)
{
    if (!entries_of(path).empty())
        throw error("refusing to use non-empty challenge directory " + path);
    const std::string lock = path + "/" + challenge_lock_name;
    unique_fd fd(::open(lock.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd)
        throw_errno("can't create lockfile " + lock);
    write_all(fd.get(), std::to_string(::getpid()) + "\n", lock);
    return challenge_directory(path, false);
}

challenge_directory::challenge_directory(challenge_directory&& other) noexcept
    : path_(std::exchange(other.path_, std::string())), owned_(other.owned_)
{
}

challenge_directory::~challenge_directory()
{
    if (path_.empty())
        return;
    empty_directory(path_);
    if (owned_)
        ::rmdir(path_.c_str());
}

}  // namespace lacme::master
