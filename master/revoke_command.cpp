#include "master/revoke_command.hpp"

#include "common/error.hpp"
#include "master/account_command.hpp"
#include "master/certificate_files.hpp"
#include "master/client_run.hpp"

namespace lacme::master {

int run_revoke_command(master_loop& master)
{
    int status = 0;
    for (const auto& file : master.options().arguments) {
        master.log().verbose("Revoking " + file);
        client_invocation invocation;
        invocation.command = "revokeCert";
        invocation.config = master.config().client_config;
        try {
            invocation.input = der_of(*read_certificate_file(file));
        } catch (const error& e) {
            master.log().info(std::string("Error: ") + e.what());
            status = 1;
            continue;
        }
        if (const auto failure = run_one_client(master, std::move(invocation))) {
            master.log().info("Warning: Couldn't revoke " + file);
            status = 1;
        }
        if (master.interrupted())
            return 1;
    }
    return status;
}

}  // namespace lacme::master
