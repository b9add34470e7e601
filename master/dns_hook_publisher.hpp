// SPDX-License-Identifier: GPL-3.0-or-later
// dns_record_publisher through the section's dns-hook: one dns_hook_run per change.
#pragma once

#include "common/log.hpp"
#include "common/uv/timer.hpp"
#include "master/dns_hook.hpp"
#include "master/dns_record_publisher.hpp"

#include <uv.h>

#include <chrono>
#include <memory>
#include <string>

namespace lacme::master {

class dns_hook_publisher final : public dns_record_publisher {
public:
    dns_hook_publisher(uv_loop_t* loop, std::string hook, std::chrono::seconds timeout, std::string log_prefix,
                       logger& log);
    void change(dns01_action action, const dns_record& record, done_fn done) override;

private:
    void finish(std::optional<std::string> failure);  // the hook may have done anything: never unchanged

    uv_loop_t* loop_;
    std::string hook_;
    std::chrono::seconds timeout_;
    std::string prefix_;
    logger& log_;
    std::unique_ptr<dns_hook_run> run_;
    std::optional<std::string> start_failure_;
    uv::timer later_;  // reports a hook that could not start from the loop
    done_fn done_;
};

}  // namespace lacme::master
