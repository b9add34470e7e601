#include "master/master_loop.hpp"

#include "common/error.hpp"

#include <signal.h>

namespace lacme::master {
namespace {

constexpr std::chrono::milliseconds accountd_grace{3000};

}  // namespace

master_loop::master_loop(const settings& s, const command_line& cl, logger& log)
    : settings_(s),
      options_(cl),
      log_(log),
      signals_(loop_.get(), {SIGINT, SIGTERM, SIGHUP}, [this](int received) { interrupted_signal_ = received; })
{
    signals_.unref();
    // A client or accountd that goes away must be an error return, never a silent death.
    ::signal(SIGPIPE, SIG_IGN);
}

master_loop::~master_loop()
{
    close_accountd();
}

accountd_relay& master_loop::relay()
{
    if (!relay_) {
        link_ = open_accountd_link(settings_, options_.debug);
        relay_ = std::make_unique<accountd_relay>(loop_.get(), std::move(link_->connection),
                                                  [this](const std::string& m) { log_.debug("accountd: " + m); });
    }
    return *relay_;
}

void master_loop::close_accountd()
{
    if (relay_)
        log_.debug("accountd: " + std::to_string(relay_->requests_relayed()) + " signature(s) relayed");
    relay_.reset();  // closes our end: accountd reads EOF and exits
    if (link_ && link_->child) {
        const int status = link_->child->reap_within(accountd_grace);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            log_.debug("lacme-accountd " + describe_wait_status(status));
    }
    link_.reset();
}

}  // namespace lacme::master
