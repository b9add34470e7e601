// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/loop.hpp"

#include "common/uv/error.hpp"

namespace lacme::uv {

loop::loop()
{
    check(uv_loop_init(&loop_), "uv_loop_init");
}

loop::~loop()
{
    // Handles closed by their owners wait for their close callbacks; a few rounds run those (and
    // any a callback closes in turn). A handle still open is an owner outliving its loop: it
    // stays unfreed rather than being closed behind that owner's back.
    for (int round = 0; round < 8 && uv_loop_close(&loop_) == UV_EBUSY; ++round)
        (void)uv_run(&loop_, UV_RUN_NOWAIT);
}

void loop::run() noexcept
{
    // Non-zero only means "stopped with handles still active": not an error.
    (void)uv_run(&loop_, UV_RUN_DEFAULT);
}

void loop::run_nowait() noexcept
{
    (void)uv_run(&loop_, UV_RUN_NOWAIT);
}

void loop::stop() noexcept
{
    uv_stop(&loop_);
}

}  // namespace lacme::uv
