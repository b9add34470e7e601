// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/challenge_files.hpp"

#include "client/retry_policy.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace lacme::client {

challenge_files::challenge_files(run_log& log) : log_(log) {}

void challenge_files::start_watching()
{
    // Best effort: without inotify (or read access to the cwd) we fall back to atime. Only once
    // there is a file to watch: an order without challenges never pays for the watch.
    unique_fd fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (fd && (watch_ = ::inotify_add_watch(fd.get(), ".", IN_CLOSE_NOWRITE)) >= 0)
        inotify_ = std::move(fd);
}

void challenge_files::stop_watching() noexcept
{
    // Closing an inotify fd waits for its marks to be freed, an RCU grace period (~15 ms, on
    // the order's critical path when done at the end). Removing the watch now queues that to
    // happen in the background, while the order goes on; the close is then immediate.
    if (inotify_ && watch_ >= 0)
        ::inotify_rm_watch(inotify_.get(), watch_);
    watch_ = -1;
}

challenge_files::~challenge_files()
{
    for (const auto& name : created_)
        if (::unlink(name.c_str()) != 0 && errno != ENOENT)
            log_.warning("unlink(" + name + "): " + std::strerror(errno));
}

void challenge_files::write(const std::string& token, std::string_view key_authorization)
{
    // O_EXCL: never overwrite nor follow a planted link; mode 0644 minus the master's umask so
    // the webserver user can read it.
    unique_fd fd(::open(token.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd) {
        if (errno == EEXIST) {
            log_.warning("File exists: " + token);
            return;
        }
        throw_errno("open(" + token + ")");
    }
    if (created_.empty())
        start_watching();
    created_.push_back(token);
    fetches_[token] = 0;
    write_all(fd.get(), key_authorization, token);
    if (::close(fd.release()) != 0)
        throw_errno("close(" + token + ")");
}

bool challenge_files::drain_events()
{
    alignas(inotify_event) char buffer[8192];
    bool counted = false;
    while (true) {
        const ssize_t n = ::read(inotify_.get(), buffer, sizeof buffer);
        if (n <= 0)
            return counted;  // EAGAIN: nothing more for now (other errors: stop watching quietly)
        for (std::size_t off = 0; off + sizeof(inotify_event) <= static_cast<std::size_t>(n);) {
            const auto* ev = reinterpret_cast<const inotify_event*>(buffer + off);
            if (ev->len > 0)
                if (auto it = fetches_.find(std::string_view(ev->name)); it != fetches_.end()) {
                    ++it->second;
                    counted = true;
                }
            off += sizeof(inotify_event) + ev->len;
        }
    }
}

bool challenge_files::all_read_once() const
{
    if (created_.empty())
        return false;
    for (const auto& name : created_) {
        struct stat st {};
        if (::stat(name.c_str(), &st) != 0)
            return false;
        // Linux's default relatime updates atime on the first read after a write.
        if (st.st_atim.tv_sec < st.st_mtim.tv_sec ||
            (st.st_atim.tv_sec == st.st_mtim.tv_sec && st.st_atim.tv_nsec <= st.st_mtim.tv_nsec))
            return false;
    }
    return true;
}

int challenge_files::fewest_fetches() const
{
    int least = 1 << 30;
    for (const auto& [name, count] : fetches_)
        least = std::min(least, count);
    return least;
}

void challenge_files::wait_for_fetches(std::chrono::milliseconds longest)
{
    using namespace std::chrono_literals;
    const auto start = clock::now();
    const auto end = start + longest;
    if (!inotify_ || fetches_.empty()) {
        bool read = false;
        while (!(read = all_read_once()) && clock::now() < end)
            sleep_for(20ms);
        if (read) {
            log_.debug("the CA has read every challenge file");
            sleep_for(150ms);  // atime says nothing of the other vantage points: leave them time
        }
        return;
    }
    // The vantage points of one CA fetch within a few ms of each other on an idle machine; on a
    // loaded one (or a distant CA) everything is slower, so the quiet period that ends the wait
    // grows with the first fetch's delay. Woken by the fetches themselves, never by a tick.
    std::chrono::milliseconds quiet = 15ms;
    bool fetched = false;
    std::optional<clock::time_point> quiet_until;
    for (auto now = start; now < end && !(quiet_until && now >= *quiet_until); now = clock::now()) {
        const auto wake = quiet_until ? std::min(*quiet_until, end) : end;
        pollfd p{inotify_.get(), POLLIN, 0};
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
        if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0)
            continue;  // timeout, or EINTR: the loop condition decides
        if (!drain_events())
            continue;
        now = clock::now();
        if (!fetched) {
            fetched = true;
            quiet = std::clamp<std::chrono::milliseconds>(
                2 * std::chrono::duration_cast<std::chrono::milliseconds>(now - start), 15ms, 1000ms);
        }
        if (fewest_fetches() > 0)
            quiet_until = now + quiet;
    }
    stop_watching();
    if (!log_.debugging())
        return;
    std::string counts;
    for (const auto& [name, count] : fetches_) {
        counts += ' ';  // not " " + string: GCC 12 -O3 -Wrestrict false positive
        counts += std::to_string(count);
    }
    if (quiet_until && clock::now() >= *quiet_until)
        log_.debug("the CA fetched every challenge file (fetches:" + counts + ")");
    else
        log_.debug("challenge fetches so far:" + counts + "; trying anyway");
}

}  // namespace lacme::client
