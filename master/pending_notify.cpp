// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/pending_notify.hpp"

#include "common/atomic_file.hpp"
#include "common/error.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace lacme::master {

std::string pending_notify_path(const std::string& target)
{
    const std::string name = target.substr(target.rfind('/') + 1);
    return target.substr(0, target.size() - name.size()) + "." + name + ".lacme-notify";
}

void record_pending_notify(const certificate_section& section)
{
    if (section.notify)
        write_file_atomically(pending_notify_path(section.reference_certificate()), *section.notify + "\n", 0600);
}

bool notify_pending(const certificate_section& section)
{
    struct stat st {};
    return ::lstat(pending_notify_path(section.reference_certificate()).c_str(), &st) == 0;
}

void clear_pending_notify(const certificate_section& section)
{
    const std::string path = pending_notify_path(section.reference_certificate());
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT)
            return;
        throw_errno("unlink " + path);
    }
    sync_parent_directory(path);
}

void forget_pending_notify(const certificate_section& section, logger& log)
{
    try {
        clear_pending_notify(section);
    } catch (const error& e) {
        log.info("[" + section.name + "] " + e.what() + ": its notify may run again");
    }
}

}  // namespace lacme::master
