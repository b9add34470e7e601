// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/audit_file.hpp"

#include "accountd/policy/group_committer.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

namespace lacme::accountd {
namespace {

constexpr off_t reserve_chunk = off_t{1024} * 1024;
// A torn record is at most one request's identifiers long; more after the last newline is not
// an audit log's tail, and is left for a person to look at.
constexpr off_t max_torn_bytes = off_t{1024} * 1024;
// Another accountd holds the lock exclusively only while it repairs a tail.
constexpr auto lock_wait = std::chrono::seconds(5);

struct stat stat_of(int fd, const std::string& path)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw_errno("can't stat audit log " + path);
    return st;
}

std::string read_at(int fd, off_t offset, std::size_t size, const std::string& path)
{
    std::string bytes(size, '\0');
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::pread(fd, bytes.data() + got, size - got, offset + static_cast<off_t>(got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw_errno("can't read audit log " + path);
        got += static_cast<std::size_t>(n);
    }
    return bytes;
}

}  // namespace

audit_file::audit_file(const std::string& path, std::size_t sync_slots, logger& log)
    : path_(path), fd_(::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600))
{
    if (!fd_)
        throw_errno("can't open audit log " + path);
    const struct stat st = stat_of(fd_.get(), path);
    regular_ = S_ISREG(st.st_mode);
    for (std::size_t i = 0; i < sync_slots; ++i) {
        unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
        if (!fd)
            throw_errno("can't open audit log " + path);
        const struct stat again = stat_of(fd.get(), path);
        if (again.st_dev != st.st_dev || again.st_ino != st.st_ino)
            throw error("audit log " + path + " was replaced while it was being opened");
        sync_fds_.push_back(std::move(fd));
    }
    if (regular_) {
        lock_and_repair(log);
        reserve_after(stat_of(fd_.get(), path).st_size);
    }
}

void audit_file::lock_and_repair(logger& log)
{
    if (::flock(fd_.get(), LOCK_EX | LOCK_NB) == 0) {
        repair_torn_tail(log);
        if (::flock(fd_.get(), LOCK_SH) != 0)
            throw_errno("can't lock audit log " + path_);
        return;
    }
    if (errno != EWOULDBLOCK)
        throw_errno("can't lock audit log " + path_);
    // Other writers live: a torn tail, if any, is not ours to cut while they append.
    const auto deadline = std::chrono::steady_clock::now() + lock_wait;
    while (::flock(fd_.get(), LOCK_SH | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            throw_errno("can't lock audit log " + path_);
        if (std::chrono::steady_clock::now() > deadline)
            throw error("audit log " + path_ + " stayed locked by another process for " +
                        std::to_string(lock_wait.count()) + " s");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void audit_file::repair_torn_tail(logger& log)
{
    const off_t size = stat_of(fd_.get(), path_).st_size;
    if (size == 0 || read_at(fd_.get(), size - 1, 1, path_) == "\n")
        return;
    const off_t from = std::max<off_t>(0, size - max_torn_bytes - 1);
    const std::string tail = read_at(fd_.get(), from, static_cast<std::size_t>(size - from), path_);
    const auto newline = tail.rfind('\n');
    if (newline == std::string::npos && from > 0)
        throw error("audit log " + path_ + " does not end with a newline, and its last line is over " +
                    std::to_string(max_torn_bytes) + " bytes long: not an audit log?");
    const off_t keep = newline == std::string::npos ? 0 : from + static_cast<off_t>(newline) + 1;
    if (::ftruncate(fd_.get(), keep) != 0 || ::fsync(fd_.get()) != 0)
        throw_errno("can't remove the torn last record of audit log " + path_);
    log.warning("audit log " + path_ + ": removed a torn last record (" + std::to_string(size - keep) +
                " bytes, left by a crash during its write: its signature was never sent): " +
                printable_for_log(std::string_view(tail).substr(static_cast<std::size_t>(keep - from))));
}

void audit_file::reserve_after(off_t end)
{
    if (!regular_ || (end >= reserved_from_ && end + reserve_chunk / 2 < reserved_to_))
        return;
    // Best effort: a file system without fallocate allocates as it writes.
    if (::fallocate(fd_.get(), FALLOC_FL_KEEP_SIZE, end, reserve_chunk) == 0) {
        reserved_from_ = end;
        reserved_to_ = end + reserve_chunk;
    }
}

void audit_file::append(std::string_view line)
{
    ssize_t n;
    do
        n = ::write(fd_.get(), line.data(), line.size());
    while (n < 0 && errno == EINTR);
    if (n < 0)
        throw_errno("can't write audit log " + path_);
    if (static_cast<std::size_t>(n) != line.size())
        throw torn_write("audit log " + path_ +
                         " ends with a record written in part: restart lacme-accountd to repair it");
    if (regular_)
        reserve_after(::lseek(fd_.get(), 0, SEEK_CUR));  // O_APPEND: just after our line
}

void audit_file::sync(std::size_t slot) const
{
    if (::fdatasync(sync_fds_.at(slot).get()) != 0)
        throw_errno("can't sync audit log " + path_);
}

}  // namespace lacme::accountd
