// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_hook.hpp"

#include "common/error.hpp"
#include "common/fd_pair.hpp"
#include "common/text.hpp"

#include <signal.h>
#include <unistd.h>

namespace lacme::master {
namespace {

constexpr std::size_t max_logged_line = 4096;
constexpr std::size_t output_cap = std::size_t{64} * 1024;  // logged per run; the rest is dropped
// After the hook exits, how long its output is still read (what it left running may hold it).
constexpr std::chrono::milliseconds output_grace{300};
constexpr std::chrono::milliseconds stop_grace{1000};

}  // namespace

std::string_view dns_hook_verb(dns01_action action) noexcept
{
    return action == dns01_action::publish ? "add" : "remove";
}

dns_hook_run::dns_hook_run(uv_loop_t* loop, const std::string& hook, std::chrono::seconds timeout, dns01_action action,
                           const dns_record& record, std::string log_prefix, logger& log, done_fn done)
    : log_(log), prefix_(std::move(log_prefix)), timeout_(timeout),
      timer_(loop,
             [this] {
                 if (status_)
                     return finish(std::nullopt);  // exited: the output grace is over
                 child_.terminate_group(stop_grace);
                 finish("timed out after dns-hook-timeout = " + std::to_string(timeout_.count()) + " s");
             }),
      lines_(max_logged_line), done_(std::move(done))
{
    auto [read_end, write_end] = make_pipe();
    child_spec spec;
    // The hook is shell code (as notify), its arguments never are: "$@" keeps them words.
    spec.argv = {"/bin/sh",   "-c",        hook + " \"$@\"", "dns-hook", std::string(dns_hook_verb(action)),
                 record.name, record.value};
    spec.fds = {{write_end.get(), STDOUT_FILENO}, {write_end.get(), STDERR_FILENO}};
    spec.own_process_group = true;
    log_.debug(prefix_ + "dns-hook " + std::string(dns_hook_verb(action)) + " " + record.name + " " + record.value);
    child_ = spawn_child(spec);
    write_end.reset();
    output_ = uv::stream::open(loop, std::move(read_end), 0);
    const int status = output_->start_reading([this](std::string_view bytes) { on_output(bytes); },
                                              [this](int) {
                                                  output_done_ = true;
                                                  if (status_)
                                                      finish(std::nullopt);
                                              });
    if (status != 0)
        throw error(std::string("reading the dns-hook's output: ") + uv_strerror(status));
    exit_watch_.emplace(loop, child_.exit_fd(), [this](int, int) { on_exit(); });
    exit_watch_->start(UV_READABLE);
    timer_.start(timeout_);
}

void dns_hook_run::on_output(std::string_view bytes)
{
    const std::size_t kept = std::min(bytes.size(), output_cap - std::min(logged_, output_cap));
    logged_ += kept;
    lines_.append(bytes.substr(0, kept));
    while (auto line = lines_.next())
        log_.info(prefix_ + "[dns-hook] " + printable_for_log(line->text, max_logged_line));
    if (lines_.overflowed())
        lines_ = line_buffer(max_logged_line);
}

void dns_hook_run::on_exit()
{
    exit_watch_.reset();
    status_ = child_.try_reap();
    if (!status_)
        status_ = child_.wait();  // the pidfd said it exited
    if (output_done_)
        return finish(std::nullopt);
    timer_.start(output_grace);
}

void dns_hook_run::finish(std::optional<std::string> failure)
{
    timer_.stop();
    exit_watch_.reset();
    if (output_)
        output_->close();
    if (!failure && status_ && !exited_successfully(*status_))
        failure = describe_wait_status(*status_);
    auto done = std::move(done_);
    done_ = nullptr;
    if (done)
        done(std::move(failure));  // may destroy this object
}

}  // namespace lacme::master
