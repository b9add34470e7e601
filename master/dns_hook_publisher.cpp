// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_hook_publisher.hpp"

#include "common/error.hpp"

namespace lacme::master {

dns_hook_publisher::dns_hook_publisher(uv_loop_t* loop, std::string hook, std::chrono::seconds timeout,
                                       std::string log_prefix, logger& log)
    : loop_(loop), hook_(std::move(hook)), timeout_(timeout), prefix_(std::move(log_prefix)), log_(log),
      later_(loop, [this] { finish(start_failure_); })
{}

void dns_hook_publisher::change(dns01_action action, const dns_record& record, done_fn done)
{
    done_ = std::move(done);
    const std::string what = "dns-hook " + std::string(dns_hook_verb(action)) + " " + record.name + " ";
    try {
        run_ = std::make_unique<dns_hook_run>(loop_, hook_, timeout_, action, record, prefix_, log_,
                                              [this, what](std::optional<std::string> failure) {
                                                  finish(failure ? std::optional(what + *failure) : std::nullopt);
                                              });
    } catch (const error& e) {
        start_failure_ = "dns-hook: " + std::string(e.what());
        later_.start(std::chrono::milliseconds(0));
    }
}

void dns_hook_publisher::finish(std::optional<std::string> failure)
{
    // A run may be destroyed by its own callback (dns_hook_run says so), this publisher by done.
    auto done = std::move(done_);
    done_ = nullptr;
    std::unique_ptr<dns_hook_run> finished = std::move(run_);
    start_failure_.reset();
    if (done)
        done({std::move(failure), false});
}

}  // namespace lacme::master
