#include "common/atomic_file.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/path.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace lacme {

void write_file_atomically(const std::string& path, std::string_view contents, mode_t mode)
{
    std::string temp_path = path + ".XXXXXX";
    std::vector<char> name(temp_path.begin(), temp_path.end());
    name.push_back('\0');
    unique_fd fd(::mkostemp(name.data(), O_CLOEXEC));
    if (!fd)
        throw_errno("can't create a temporary file beside " + path);
    temp_path.assign(name.data());
    try {
        if (::fchmod(fd.get(), mode) != 0)
            throw_errno("chmod " + temp_path);
        write_all(fd.get(), contents, temp_path);
        if (::fsync(fd.get()) != 0)
            throw_errno("fsync " + temp_path);
        if (::close(fd.release()) != 0)
            throw_errno("close " + temp_path);
        if (::rename(temp_path.c_str(), path.c_str()) != 0)
            throw_errno("rename " + temp_path + " to " + path);
    } catch (...) {
        ::unlink(temp_path.c_str());
        throw;
    }
    const std::string dir = parent_directory(path);
    const unique_fd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dirfd || ::fsync(dirfd.get()) != 0)
        throw_errno("fsync " + dir);
}

}  // namespace lacme
