// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: a master_loop whose [client] command (and, when asked, [accountd] command) is a
// small shell script written for the test, as the integration tests do for a hanging client;
// and a bounded way to turn a loop whose handles do not keep it alive.
#pragma once

#include "test/support/temp_dir.hpp"
#include "common/log.hpp"
#include "common/uv/handle.hpp"
#include "master/command_line.hpp"
#include "master/master_loop.hpp"
#include "master/settings.hpp"

#include <uv.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

namespace lacme::test {

class scripted_master {
public:
    // client_body: the client's shell script; it is run as `sh SCRIPT COMMAND 3 4 ARGS...`.
    explicit scripted_master(const std::string& client_body, unsigned max_concurrent = 4)
    {
        write_file(dir.file("client"), client_body);
        config.client.command = {"/bin/sh", dir.file("client")};
        options.command = master::command_kind::new_order;
        options.max_concurrent = max_concurrent;
    }
    // An accountd that greets, then waits for the master to close the connection.
    void with_silent_accountd()
    {
        write_file(dir.file("accountd"), "printf 'greeting\\r\\n{}\\r\\n'\ncat >/dev/null\n");
        master::accountd_settings accountd;
        accountd.role.command = {"/bin/sh", dir.file("accountd")};
        config.accountd = accountd;
        config.accountd_timeout = master::spawned_accountd_timeout;  // as settings.cpp defaults it
    }
    master::master_loop& loop()
    {
        if (!master_)
            master_.emplace(config, options, log);
        return *master_;
    }

    temp_dir dir;
    master::settings config;
    master::command_line options;
    logger log{log_level::info};

private:
    std::optional<master::master_loop> master_;  // last: refers to the members above
};

// Turns the loop until done() or the time limit; whether done() became true. The relay's streams
// and the master's signal watcher do not keep the loop alive (uv_run would return at once), so
// an idle async handle does while this runs.
template <class Done>
bool run_until(uv_loop_t* loop, Done done, std::chrono::milliseconds limit = std::chrono::seconds(10))
{
    const auto keep_alive = uv::make_handle<uv_async_t>();
    if (uv_async_init(loop, keep_alive.get(), nullptr) != 0)
        return false;
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end)
            return false;
        uv_run(loop, UV_RUN_NOWAIT);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

// Milliseconds since start, for timing assertions (BOOST_TEST prints numbers, not time points).
inline long long elapsed_ms(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace lacme::test
