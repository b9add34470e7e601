// SPDX-License-Identifier: GPL-3.0-or-later
// durable-appends: the file system's ceiling for the audit log (bench/accountd). W writer
// threads each append a 200-byte record to one file, preallocated ahead of its end as the audit
// log is (FALLOC_FL_KEEP_SIZE), and fdatasync it before writing the next one: what accountd's
// W connections do when each waits for its record to be durable before its signature leaves,
// without any signing. Prints records made durable per second, and the time each writer
// waited per record.
//
// usage: durable-appends DIRECTORY WRITERS SECONDS
#include "common/error.hpp"
#include "common/parse_number.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

void append_durably(int fd, std::string_view record)
{
    if (::write(fd, record.data(), record.size()) != static_cast<ssize_t>(record.size()))
        lacme::throw_errno("write");
    if (::fdatasync(fd) != 0)
        lacme::throw_errno("fdatasync");
}

int run(const std::string& directory, unsigned writers, std::chrono::seconds duration)
{
    const std::string path = directory + "/durable-appends.tmp";
    const lacme::unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600));
    if (!fd)
        lacme::throw_errno("open " + path);
    ::unlink(path.c_str());
    (void)::fallocate(fd.get(), FALLOC_FL_KEEP_SIZE, 0, 64L * 1024 * 1024);  // best effort, as the audit log
    const std::string record(199, 'x');
    std::atomic<unsigned long> records{0};
    std::atomic<bool> failed{false};
    const auto start = clock_type::now();
    const auto stop = start + duration;
    std::vector<std::jthread> threads;
    for (unsigned i = 0; i < writers; ++i)
        threads.emplace_back([&] {
            try {
                while (clock_type::now() < stop) {
                    append_durably(fd.get(), record + "\n");
                    ++records;
                }
            } catch (const lacme::error& e) {
                std::cerr << "durable-appends: " << e.what() << "\n";
                failed = true;
            }
        });
    threads.clear();
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    if (failed || records == 0)
        return 1;
    std::printf("writers=%u records=%lu seconds=%.2f rate=%.0f wait_ms=%.2f\n", writers, records.load(), seconds,
                static_cast<double>(records) / seconds, 1000.0 * seconds * writers / static_cast<double>(records));
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    const auto writers = argc == 4 ? lacme::parse_number<unsigned>(argv[2], 1, 256) : std::nullopt;
    const auto seconds = argc == 4 ? lacme::parse_number<unsigned>(argv[3], 1, 600) : std::nullopt;
    if (!writers || !seconds) {
        std::cerr << "usage: durable-appends DIRECTORY WRITERS SECONDS\n";
        return 2;
    }
    try {
        return run(argv[1], *writers, std::chrono::seconds(*seconds));
    } catch (const lacme::error& e) {
        std::cerr << "durable-appends: " << e.what() << "\n";
        return 1;
    }
}
