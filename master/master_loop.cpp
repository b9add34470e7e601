#include "master/master_loop.hpp"

#include "common/error.hpp"

#include <signal.h>

namespace lacme::master {
namespace {

constexpr std::chrono::milliseconds accountd_grace{3000};

}  // namespace

master_loop::master_loop(const settings& s, const command_line& cl, logger& log)
    : settings_(s), options_(cl), log_(log)
{
    if (const int rc = uv_loop_init(&loop_); rc != 0)
        throw error(std::string("uv_loop_init: ") + uv_strerror(rc));
    // A client or accountd that goes away must be an error return, never a silent death.
    ::signal(SIGPIPE, SIG_IGN);
    for (const int signo : {SIGINT, SIGTERM, SIGHUP}) {
        auto handle = accountd::make_uv_handle<uv_signal_t>();
        uv_signal_init(&loop_, handle.get());
        handle->data = this;
        uv_signal_start(
            handle.get(),
            [](uv_signal_t* h, int received) {
                auto* self = static_cast<master_loop*>(h->data);
                self->interrupted_signal_ = received;
                if (self->on_interrupt_)
                    self->on_interrupt_();
                uv_stop(&self->loop_);
            },
            signo);
        signals_.push_back(std::move(handle));
    }
}

master_loop::~master_loop()
{
    close_accountd();
    signals_.clear();
    // Let libuv finish closing every handle (close callbacks free them), then release the loop.
    uv_walk(
        &loop_,
        [](uv_handle_t* h, void*) {
            if (!uv_is_closing(h))
                uv_close(h, nullptr);
        },
        nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
}

accountd_relay& master_loop::relay()
{
    if (!relay_) {
        link_ = open_accountd_link(settings_, options_.debug);
        relay_ = std::make_unique<accountd_relay>(&loop_, std::move(link_->connection),
                                                  [this](const std::string& m) { log_.debug("accountd: " + m); });
    }
    return *relay_;
}

bool master_loop::run()
{
    // Only the signal watchers left means the work is done; they must not keep the loop alive.
    for (auto& s : signals_)
        uv_unref(reinterpret_cast<uv_handle_t*>(s.get()));
    uv_run(&loop_, UV_RUN_DEFAULT);
    return !interrupted();
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
