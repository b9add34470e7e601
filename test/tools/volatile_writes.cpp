// SPDX-License-Identifier: GPL-3.0-or-later
// LD_PRELOAD library for the audit log durability test (accountd_audit_crash.sh): a disk that
// loses what was written but not synced. write(2)s to the file named by LACME_VOLATILE_FILE are
// held in memory; fsync/fdatasync of that file (on any descriptor) first write out everything
// held. So when the process is SIGKILLed, exactly what no sync had started for is lost, as on a
// power failure, which a SIGKILL alone cannot show (the page cache survives it).
// An LD_PRELOAD library has only its globals to keep the held bytes in.
#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <string>

namespace {

using write_function = ssize_t (*)(int, const void*, size_t);
using sync_function = int (*)(int);

template <class F>
F real(const char* name)
{
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

struct held_writes {
    std::mutex mutex;
    std::string bytes;
    int fd = -1;  // the descriptor they were written to (O_APPEND: where they go)
};

held_writes& held()
{
    static held_writes writes;
    return writes;
}

bool is_volatile(int fd)
{
    const char* path = std::getenv("LACME_VOLATILE_FILE");
    struct stat of_fd {};
    struct stat of_path {};
    return path != nullptr && ::fstat(fd, &of_fd) == 0 && S_ISREG(of_fd.st_mode) && ::stat(path, &of_path) == 0 &&
           of_fd.st_dev == of_path.st_dev && of_fd.st_ino == of_path.st_ino;
}

// Writes out what is held; 0, or -1 with errno.
int write_out(held_writes& writes)
{
    static const auto write_fn = real<write_function>("write");
    std::size_t done = 0;
    while (done < writes.bytes.size()) {
        const ssize_t n = write_fn(writes.fd, writes.bytes.data() + done, writes.bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += static_cast<std::size_t>(n);
    }
    writes.bytes.clear();
    return 0;
}

int sync_with(int fd, sync_function sync)
{
    if (is_volatile(fd)) {
        auto& writes = held();
        const std::lock_guard lock(writes.mutex);
        if (write_out(writes) != 0)
            return -1;
    }
    return sync(fd);
}

}  // namespace

extern "C" ssize_t write(int fd, const void* data, size_t size)
{
    static const auto write_fn = real<write_function>("write");
    if (!is_volatile(fd))
        return write_fn(fd, data, size);
    auto& writes = held();
    const std::lock_guard lock(writes.mutex);
    writes.bytes.append(static_cast<const char*>(data), size);
    writes.fd = fd;
    return static_cast<ssize_t>(size);
}

extern "C" int fdatasync(int fd)
{
    static const auto sync_fn = real<sync_function>("fdatasync");
    return sync_with(fd, sync_fn);
}

extern "C" int fsync(int fd)
{
    static const auto sync_fn = real<sync_function>("fsync");
    return sync_with(fd, sync_fn);
}
