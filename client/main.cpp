// SPDX-License-Identifier: GPL-3.0-or-later
// libexec/lacme/client [--no-sandbox] COMMAND CONFIG_FD SOCKET_FD [ARGS]  (lacme 0.8 interface)
//   account FLAGS [--eab-kid=KID --eab-hmac-key=FILE|-] [--new-key-socket=PATH|--new-key-fd=N] [CONTACT...]
//   newOrder [--replaces=ARI-CERT-ID] NAME...   CSR (DER) on stdin, PEM chain on stdout
//   newOrders                                   many orders, one request a line on stdin, one
//                                               answer a line on stdout (common/order_batch_protocol.hpp)
//   revokeCert [--reason=N]                     certificate (DER) on stdin
//   renewal-info                                certificate (DER) on stdin, ARI window on stdout
//                                               (SOCKET_FD is not used: nothing is signed)
//   capabilities                                what lacme 0.8's client lacks, one a line, on stdout
//                                               (lacme 0.8's client fails this command)
// --no-sandbox (debugging only, loudly warned about): no seccomp, Landlock or rlimits; an
// argument, not an environment variable, because both lacme masters pass the client a fixed
// environment but split `[client] command` on whitespace: `command = .../client --no-sandbox`.
// Every error ends as one "Error: ..." line on stderr and exit status 1.
#include "client/account_command.hpp"
#include "client/accountd_connection.hpp"
#include "client/acme_session.hpp"
#include "client/client_config.hpp"
#include "client/client_error.hpp"
#include "client/curl_transport.hpp"
#include "client/order_batch.hpp"
#include "client/order_flow.hpp"
#include "client/renewal_info.hpp"
#include "client/revoke_command.hpp"
#include "client/run_log.hpp"
#include "client/sandbox_policy.hpp"

#include "common/debug_environment.hpp"
#include "common/fd_argument.hpp"
#include "common/fd_io.hpp"
#include "common/error.hpp"
#include "common/ignore_sigpipe.hpp"
#include "common/log.hpp"
#include "common/parse_number.hpp"
#include "common/sandbox.hpp"
#ifdef LACME_SANDBOX_SELFTEST
#include "common/sandbox_selftest.hpp"
#endif
#include "common/unique_fd.hpp"
#include "common/text.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace lacme::client;

constexpr std::size_t stdin_cap = std::size_t{1024} * 1024;  // a CSR or a certificate, never more
// The whole run's bound (newOrders: each order's), generous but under the master's
// (master/client_run.hpp: 900 s) so that the client still says what it was waiting for.
// `timeout` only limits polling, as in lacme 0.8.
constexpr std::chrono::seconds run_time_limit{840};

// libcurl's process-wide setup, undone on every exit path from run().
class curl_global {
public:
    curl_global()
    {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw lacme::error("libcurl initialisation failed");
    }
    ~curl_global() { curl_global_cleanup(); }
    curl_global(const curl_global&) = delete;
    curl_global& operator=(const curl_global&) = delete;
};

// A command as parsed during set-up: its arguments, and the files, sockets and stdin it reads.
struct prepared_command {
    std::string name;
    std::optional<account_request> account;
    std::optional<order_request> order;
    bool order_batch = false;  // newOrders: the requests come after set-up
    std::optional<int> revoke_reason;
    std::string certificate_der;  // revokeCert, renewal-info
};

order_request parse_order_arguments(const std::vector<std::string>& args, const client_config& config)
{
    order_request request;
    request.preferred_chain = config.preferred_chain;
    request.challenge = config.challenge;
    for (const auto& a : args) {
        if (a.starts_with("--replaces="))
            request.replaces = a.substr(11);
        else if (a.starts_with("--"))
            throw lacme::error("newOrder: unknown option " + lacme::printable_for_log(a, 60));
        else
            request.names.push_back(a);
    }
    if (request.names.empty())
        throw lacme::error("newOrder: no identifier to order");
    request.csr_der = lacme::read_to_end(STDIN_FILENO, stdin_cap, "the CSR on stdin");
    if (request.csr_der.empty())
        throw lacme::error("newOrder: no CSR on stdin");
    return request;
}

std::optional<int> parse_revoke_arguments(const std::vector<std::string>& args)
{
    std::optional<int> reason;
    for (const auto& a : args) {
        reason = a.starts_with("--reason=")
                     ? lacme::parse_number<int>(std::string_view(a).substr(9), 0, std::numeric_limits<int>::max())
                     : std::nullopt;
        if (!reason)
            throw lacme::error("revokeCert: unexpected argument " + lacme::printable_for_log(a, 60));
    }
    return reason;
}

prepared_command prepare(const std::string& name, const std::vector<std::string>& args, const client_config& config)
{
    prepared_command command;
    command.name = name;
    if (name == "account") {
        command.account = parse_account_arguments(args);
    } else if (name == "newOrder") {
        command.order = parse_order_arguments(args, config);
    } else if (name == "newOrders") {
        if (!args.empty())
            throw lacme::error("newOrders: unexpected argument " + lacme::printable_for_log(args.front(), 60));
        command.order_batch = true;
    } else {
        if (name == "revokeCert")
            command.revoke_reason = parse_revoke_arguments(args);
        command.certificate_der = lacme::read_to_end(STDIN_FILENO, stdin_cap, "the certificate on stdin");
    }
    return command;
}

// From here on the client can only do what client/sandbox_policy.cpp lists: talk to the CA
// and accountd, read the trust store, and (newOrder) create and remove files in its cwd.
void enter_sandbox(const prepared_command& command, const client_config& config)
{
    const auto runtime_paths = runtime_path_rules(command.order.has_value() || command.order_batch, config.tls.ca_file);
    lacme::sandbox::enter(sandbox_policy(), runtime_paths);
#ifdef LACME_SANDBOX_SELFTEST
    lacme::sandbox::run_selftest("client");
#endif
}

int execute(prepared_command command, acme_session& session, const client_config& config)
{
    if (command.account)
        return run_account(session, std::move(*command.account), std::cout, ::isatty(STDOUT_FILENO) == 1);
    if (command.order_batch) {
        serve_order_batch(session, config, STDIN_FILENO, STDOUT_FILENO, run_time_limit);
    } else if (command.order) {
        const std::string chain = run_order(session, *command.order);
        lacme::write_all(STDOUT_FILENO, chain, "stdout");
    } else if (command.name == "revokeCert") {
        run_revoke(session, command.certificate_der, command.revoke_reason);
    } else {
        const auto info = fetch_renewal_info(session, command.certificate_der);
        lacme::write_all(STDOUT_FILENO, info.dump() + "\n", "stdout");
    }
    return 0;
}

// Set-up (arguments, config, stdin, accountd's greeting, libcurl), then the sandbox, then the
// command.
int run(int argc, char** argv, lacme::logger& out)
{
    const bool sandboxed = !(argc > 1 && std::string_view(argv[1]) == "--no-sandbox");
    if (!sandboxed) {
        --argc;
        ++argv;
    }
    if (argc < 4)
        throw lacme::error("usage: client [--no-sandbox] COMMAND CONFIG_FD SOCKET_FD [ARGUMENT...]");
    const std::string name = argv[1];
    if (name != "account" && name != "newOrder" && name != "newOrders" && name != "revokeCert" &&
        name != "renewal-info" && name != "capabilities")
        throw lacme::error("unknown command '" + lacme::printable_for_log(name, 40) + "'");
    lacme::unique_fd config_fd(lacme::parse_fd(argv[2], "CONFIG_FD"));
    lacme::unique_fd socket_fd(lacme::parse_fd(argv[3], "SOCKET_FD"));
    if (name == "capabilities") {
        lacme::write_all(STDOUT_FILENO, "newOrder --replaces\nnewOrders\nrenewal-info\n", "stdout");
        return 0;
    }
    if (lacme::debug_from_environment())
        out.set_threshold(lacme::log_level::debug);
    run_log log(out);

    // A dead peer on a pipe or socket must be an error return, not a silent death.
    lacme::ignore_sigpipe();

    const client_config config =
        parse_client_config(lacme::read_to_end(config_fd.get(), std::size_t{64} * 1024, "CONFIG_FD"));
    config_fd.reset();
    prepared_command command = prepare(name, std::vector<std::string>(argv + 4, argv + argc), config);

    const curl_global curl;
    // renewal-info signs nothing: a run with nothing to renew never needs accountd (no SSH or
    // token login), and its SOCKET_FD is not read.
    std::optional<accountd_connection> accountd;
    if (name != "renewal-info") {
        accountd.emplace(std::move(socket_fd));
        log.debug("accountd: alg " + lacme::printable_for_log(accountd->greeting().alg, 20) +
                  (accountd->greeting().kid ? ", kid " + lacme::printable_for_log(*accountd->greeting().kid, 200)
                                            : std::string()));
    } else {
        socket_fd.reset();
    }
    curl_transport http(config.tls, log);
    acme_session session(http, accountd ? &*accountd : nullptr, config, log);
    session.set_deadline(deadline::after(run_time_limit));

    if (sandboxed)
        enter_sandbox(command, config);
    else
        lacme::sandbox::warn_unconfined("client");

    const int status = execute(std::move(command), session, config);
    if (accountd)
        log.debug(std::to_string(accountd->signatures()) + " signed requests");
    return status;
}

}  // namespace

int main(int argc, char** argv)
{
    lacme::logger out(lacme::log_level::verbose);
    try {
        return run(argc, argv, out);
    } catch (const lacme::error& e) {
        out.error(e.what());
    } catch (const std::exception& e) {
        // JSON type errors and allocation failures: still one line, still no abort.
        out.error(lacme::printable_for_log(e.what()));
    }
    return 1;
}
