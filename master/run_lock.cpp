// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/run_lock.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/file_lock.hpp"
#include "common/parse_number.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <iomanip>
#include <sstream>

namespace lacme::master {
namespace {

// "MAJOR:MINOR:INODE" as /proc/locks prints a file ("%02x:%02x:%lu").
std::string proc_locks_file_id(dev_t device, ino_t inode)
{
    std::ostringstream id;
    id << std::hex << std::setfill('0') << std::setw(2) << ::major(device) << ':' << std::setw(2) << ::minor(device)
       << ':' << std::dec << inode;
    return id.str();
}

pid_t current_holder(int fd)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return 0;
    try {
        const auto locks = read_file_if_present("/proc/locks", std::size_t{1024} * 1024);
        return locks ? flock_holder(*locks, st.st_dev, st.st_ino) : 0;
    } catch (const error&) {
        return 0;  // only the message loses the pid
    }
}

}  // namespace

pid_t flock_holder(std::string_view proc_locks, dev_t device, ino_t inode)
{
    // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; waiters have "->" after the number.
    const std::string wanted = proc_locks_file_id(device, inode);
    std::istringstream lines{std::string(proc_locks)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string number, kind, mode, access, pid, file;
        if (!(fields >> number >> kind >> mode >> access >> pid >> file) || kind != "FLOCK")
            continue;
        if (file != wanted)
            continue;
        if (const auto value = parse_number<pid_t>(pid, 1, std::numeric_limits<pid_t>::max()))
            return *value;
    }
    return 0;
}

run_lock::run_lock(const std::string& config_file, std::chrono::milliseconds patience, logger& log)
    : fd_(::open(config_file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK))
{
    if (!fd_)
        throw_errno("open " + config_file);
    if (lock_exclusively_within(fd_.get(), config_file, std::chrono::milliseconds(0)))
        return;
    const pid_t holder = current_holder(fd_.get());
    const std::string who =
        "another lacme run" + (holder > 0 ? " (pid " + std::to_string(holder) + ")" : std::string());
    log.verbose(who + " holds " + config_file + ": waiting up to " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(patience).count()) + " s");
    if (!lock_exclusively_within(fd_.get(), config_file, patience))
        throw error(who + " holds " + config_file);
}

}  // namespace lacme::master
