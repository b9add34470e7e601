#include "client/challenge_files.hpp"

#include "client/retry_policy.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace lacme::client {

challenge_files::challenge_files(run_log& log) : log_(log)
{
    // Best effort: without inotify (or read access to the cwd) we fall back to atime.
    unique_fd fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (fd && ::inotify_add_watch(fd.get(), ".", IN_CLOSE_NOWRITE) >= 0)
        inotify_ = std::move(fd);
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
    created_.push_back(token);
    fetches_[token] = 0;
    write_all(fd.get(), key_authorization, token);
    if (::close(fd.release()) != 0)
        throw_errno("close(" + token + ")");
}

void challenge_files::drain_events()
{
    alignas(inotify_event) char buffer[8192];
    while (true) {
        const ssize_t n = ::read(inotify_.get(), buffer, sizeof buffer);
        if (n <= 0)
            return;  // EAGAIN: nothing more for now (other errors: stop watching quietly)
        for (std::size_t off = 0; off + sizeof(inotify_event) <= static_cast<std::size_t>(n);) {
            const auto* ev = reinterpret_cast<const inotify_event*>(buffer + off);
            if (ev->len > 0)
                if (auto it = fetches_.find(std::string_view(ev->name)); it != fetches_.end())
                    ++it->second;
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

void challenge_files::wait_for_fetches(std::chrono::milliseconds longest)
{
    using namespace std::chrono_literals;
    const auto end = clock::now() + longest;
    const auto step = 20ms;
    // The vantage points of one CA fetch within a few ms of each other on an idle machine; on a
    // loaded one everything is slower, so the quiet period grows with the first fetch's delay.
    const auto start = clock::now();
    std::chrono::milliseconds quiet = 60ms;
    bool fetched = false;
    int last_total = -1;
    auto last_change = clock::now();
    while (clock::now() < end) {
        if (inotify_ && !fetches_.empty()) {
            drain_events();
            int total = 0, least = 1 << 30, most = 0;  // CAs differ in how often they fetch
            for (const auto& [name, count] : fetches_) {
                total += count;
                least = std::min(least, count);
                most = std::max(most, count);
            }
            if (total != last_total) {
                last_total = total;
                last_change = clock::now();
                if (total > 0 && !fetched) {
                    fetched = true;
                    const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(last_change - start);
                    quiet = std::clamp<std::chrono::milliseconds>(2 * delay, 60ms, 1000ms);
                }
            } else if (least > 0 && clock::now() - last_change >= quiet) {
                log_.debug("the CA fetched every challenge file " + std::to_string(most) + " time(s)");
                return;
            }
        } else if (all_read_once()) {
            log_.debug("the CA has read every challenge file");
            sleep_for(150ms);
            return;
        }
        sleep_for(step);
    }
    if (log_.debugging()) {
        std::string counts;
        for (const auto& [name, count] : fetches_) {
            counts += ' ';  // not " " + string: GCC 12 -O3 -Wrestrict false positive
            counts += std::to_string(count);
        }
        log_.debug("challenge fetches so far:" + counts + "; trying anyway");
    }
}

}  // namespace lacme::client
