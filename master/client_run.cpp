// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_run.hpp"

namespace lacme::master {

client_run::client_run(uv_loop_t* loop, const child_role& role, accountd_relay* relay, client_invocation invocation,
                       bool debug, done_fn done)
    : done_(std::move(done))
{
    client_.emplace(
        loop, role, relay, invocation, debug, [this](std::string_view bytes) { on_output(bytes); },
        [this] { finish(); });
    if (unique_fd input = client_->take_input()) {
        // A client that exits before reading its input reports its own error.
        input_ = uv::stream::open(loop, std::move(input), invocation.input->size());
        (void)input_->write(std::move(*invocation.input));
        input_->end();
    }
    client_->arm_deadline(deadline);
}

void client_run::on_output(std::string_view bytes)
{
    if (output_bytes_.size() + bytes.size() <= output_cap)
        output_bytes_.append(bytes);
    else
        client_->kill("client output exceeds " + std::to_string(output_cap) + " bytes");
}

void client_run::finish()
{
    client_result result;
    result.failure = client_->failure();
    result.output = std::move(output_bytes_);
    result.started = started_;
    // Last statement: the callback may destroy this object.
    std::exchange(done_, nullptr)(std::move(result));
}

}  // namespace lacme::master
