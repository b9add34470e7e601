// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/account_command.hpp"

#include "common/account_flags.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "master/accountd_link.hpp"
#include "master/exit_status.hpp"
#include "master/section_runner.hpp"

#include <unistd.h>

namespace lacme::master {
namespace {

constexpr std::size_t eab_key_cap = 4096;  // a base64url HMAC key
constexpr std::chrono::milliseconds new_key_accountd_grace{3000};

// Read as root, handed to the client on its stdin: the key is never in an argv, and the file
// may stay root's alone.
std::string read_eab_key(const std::string& source)
{
    if (source == "-")
        return read_to_end(STDIN_FILENO, eab_key_cap, "the EAB MAC key on stdin", true);
    return read_file(source, eab_key_cap, true);
}

// The new key's lacme-accountd: [accountd] command, user and group, with the given configuration.
accountd_link spawn_new_key_accountd(const settings& s, const std::string& config, bool debug)
{
    if (!s.accountd)
        throw error("--rollover starts the new key's lacme-accountd from lacme.conf's [accountd] section, "
                    "and there is none (or --socket was given)");
    accountd_settings new_key = *s.accountd;
    new_key.config = config;
    new_key.privkey.clear();
    return spawn_accountd(new_key, debug);
}

}  // namespace

int run_account_command(master_loop& master)
{
    const auto& cl = master.options();
    const unsigned flags = (cl.register_account ? account_register : 0U) | (cl.tos_agreed ? account_tos_agreed : 0U) |
                           (cl.deactivate ? account_deactivate : 0U);
    client_invocation invocation;
    invocation.command = "account";
    invocation.arguments.push_back(std::to_string(flags));
    if (cl.eab_kid) {
        invocation.arguments.push_back("--eab-kid=" + *cl.eab_kid);
        invocation.arguments.emplace_back("--eab-hmac-key=-");
        invocation.input = read_eab_key(*cl.eab_hmac_key);
    }
    std::optional<accountd_link> new_key;
    if (cl.rollover) {
        new_key = spawn_new_key_accountd(master.config(), *cl.rollover, cl.debug);
        invocation.new_key_connection = std::move(new_key->connection);
    }
    invocation.arguments.insert(invocation.arguments.end(), cl.arguments.begin(), cl.arguments.end());
    invocation.config = master.config().client_config;
    invocation.capture_output = false;
    const auto failure = run_one_client(master, std::move(invocation));
    if (new_key && new_key->child) {
        const int status = new_key->child->reap_within(new_key_accountd_grace);
        if (!exited_successfully(status))
            master.log().debug("the new key's lacme-accountd " + describe_wait_status(status));
    }
    if (failure)
        master.log().debug("account: " + *failure);  // the client has printed its own error
    return failure ? exit_failure : exit_success;
}

}  // namespace lacme::master
