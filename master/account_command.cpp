#include "master/account_command.hpp"

#include "master/section_runner.hpp"

namespace lacme::master {

std::optional<std::string> run_one_client(master_loop& master, client_invocation invocation)
{
    std::optional<client_result> result;
    section_runner runner(master, 1);
    runner.add({invocation.command, std::move(invocation), [&](client_result r) { result = std::move(r); }});
    if (!runner.run())
        return "interrupted by signal " + std::to_string(master.interrupted_signal());
    return result->failure;
}

int run_account_command(master_loop& master)
{
    const auto& cl = master.options();
    const int flags = (cl.register_account ? 1 : 0) | (cl.tos_agreed ? 2 : 0) | (cl.deactivate ? 4 : 0);
    client_invocation invocation;
    invocation.command = "account";
    invocation.arguments.push_back(std::to_string(flags));
    invocation.arguments.insert(invocation.arguments.end(), cl.arguments.begin(), cl.arguments.end());
    invocation.config = master.config().client_config;
    invocation.capture_output = false;
    const auto failure = run_one_client(master, std::move(invocation));
    if (failure)
        master.log().debug("account: " + *failure);  // the client has printed its own error
    return failure ? 1 : 0;
}

}  // namespace lacme::master
