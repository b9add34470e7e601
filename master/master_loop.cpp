// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/master_loop.hpp"

#include "common/error.hpp"
#include "common/ignore_sigpipe.hpp"
#include "master/accountd_link.hpp"

#include <signal.h>

namespace lacme::master {
namespace {

constexpr std::chrono::milliseconds accountd_grace{3000};

}  // namespace

master_loop::master_loop(const settings& s, const command_line& cl, logger& log)
    : settings_(s), options_(cl), log_(log),
      signals_(loop_.get(), {SIGINT, SIGTERM, SIGHUP}, [this](int received) { interrupted_signal_ = received; })
{
    signals_.unref();
    // A client or accountd that goes away must be an error return, never a silent death.
    ignore_sigpipe();
}

master_loop::~master_loop()
{
    close_accountd();
}

accountd_relay& master_loop::relay()
{
    if (!relay_)
        relay_ = std::make_unique<accountd_relay>(
            loop_.get(), [this] { return open_accountd_link(settings_, options_.debug); }, settings_.accountd_timeout,
            [this](const std::string& m) { log_.debug("accountd: " + m); });
    return *relay_;
}

void master_loop::close_accountd()
{
    if (!relay_)
        return;
    log_.debug("accountd: " + std::to_string(relay_->requests_relayed()) + " signature(s) relayed over " +
               std::to_string(relay_->links_opened()) + " link(s)");
    relay_->close(accountd_grace);
    relay_.reset();
}

}  // namespace lacme::master
