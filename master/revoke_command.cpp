// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/revoke_command.hpp"

#include "common/error.hpp"
#include "master/certificate_files.hpp"
#include "master/certificate_text.hpp"
#include "master/client_run.hpp"
#include "master/exit_status.hpp"
#include "master/section_runner.hpp"

#include <iostream>

namespace lacme::master {

int run_revoke_command(master_loop& master)
{
    int status = exit_success;
    for (const auto& file : master.options().arguments) {
        master.log().info("Revoking " + file);
        client_invocation invocation;
        invocation.command = "revokeCert";
        invocation.config = master.config().client_config;
        try {
            const auto certificate = read_certificate_file(file);
            invocation.input = der_of(*certificate);
            std::cout << certificate_text(*certificate, certificate_extensions::hidden) << std::flush;  // as lacme 0.8
        } catch (const error& e) {
            master.log().error(e.what());
            status = exit_failure;
            continue;
        }
        if (const auto failure = run_one_client(master, std::move(invocation))) {
            master.log().warning("Couldn't revoke " + file);
            status = exit_failure;
        }
        if (master.interrupted())
            return exit_failure;
    }
    return status;
}

}  // namespace lacme::master
