// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/section_run.hpp"

#include "common/error.hpp"
#include "common/renewal_info.hpp"
#include "master/batch_order_runner.hpp"
#include "master/certificate_files.hpp"
#include "master/certificate_install.hpp"
#include "master/client_capabilities.hpp"
#include "master/csr.hpp"
#include "master/dns_publisher.hpp"
#include "master/dns_tsig_key.hpp"
#include "master/notify.hpp"
#include "master/pending_notify.hpp"
#include "master/renewal.hpp"
#include "master/section_check.hpp"
#include "master/section_runner.hpp"

#include <algorithm>
#include <list>

namespace lacme::master {
namespace {

std::string tag(const section_run& run)
{
    return "[" + run.config->name + "] ";
}

void fail(section_run& run, std::string error)
{
    run.state = section_state::failed;
    run.detail = std::move(error);
    run.expiry.reset();
    run.paths.clear();
}

client_invocation order_invocation(const settings& s, section_run& run, const std::string& challenge_dir)
{
    client_invocation invocation;
    invocation.command = "newOrder";
    if (!run.replaces.empty())
        invocation.arguments.push_back("--replaces=" + run.replaces);
    const auto names = run.config->identifiers();
    invocation.arguments.insert(invocation.arguments.end(), names.begin(), names.end());
    invocation.config = s.client_config;
    if (run.config->preferred_chain)
        invocation.config["preferred-chain"] = *run.config->preferred_chain;
    invocation.input = std::move(run.csr);
    invocation.directory = challenge_dir;
    invocation.section = run.config->name;
    return invocation;
}

client_invocation window_invocation(const settings& s, std::string certificate_der, const std::string& section)
{
    client_invocation invocation;
    invocation.command = "renewal-info";
    invocation.config = s.client_config;
    invocation.input = std::move(certificate_der);
    invocation.show_errors = false;  // a CA without ARI (or Perl's client) is the common case
    invocation.signs = false;
    invocation.section = section;
    return invocation;
}

// The ARI identifier of the installed certificate, empty if it has none.
std::string replaced_certificate_id(const certificate_section& section, logger& log)
{
    try {
        return ari_certificate_id(der_of(*read_certificate_file(section.reference_certificate())));
    } catch (const error& e) {
        log.debug("[" + section.name + "] no ARI identifier for the installed certificate: " + e.what());
        return {};
    }
}

// Ordering (with its CSR) or kept, per the decision. A section to renew whose certificate could
// not be installed fails here, before the CA is asked for it.
void apply_decision(section_run& run, const renewal_decision& decision, logger& log)
{
    run.expiry = decision.expiry;
    if (!decision.renew) {
        run.state = section_state::kept;
        run.detail = decision.reason;
        return;
    }
    log.log(decision.key_changed ? log_level::verbose : log_level::debug, tag(run) + "renewing: " + decision.reason);
    try {
        if (const auto problems = installation_problems(*run.config); !problems.empty())
            throw error(problems.front());
        const auto der = build_csr(*run.config);
        run.csr.assign(der.begin(), der.end());
        run.replaces = decision.expiry ? replaced_certificate_id(*run.config, log) : std::string();
        run.state = section_state::ordering;
    } catch (const error& e) {
        fail(run, e.what());
    }
}

void plan_section(section_run& run, std::optional<int> min_days, std::chrono::system_clock::time_point now, logger& log)
{
    const auto& section = *run.config;
    if (!section.errors.empty())
        throw error(section.errors.front());
    if (section.challenge == challenge_type::dns_01 && section.dns_update)
        (void)read_tsig_key(section.dns_update->tsig_key);  // a bad key file fails before ordering
    for (const auto& path : finish_interrupted_install(section))
        log.info(tag(run) + "completed the interrupted install of " + path);
    const renewal_decision decision = decide_renewal(section, min_days, now);
    apply_decision(run, decision, log);
    if (run.state == section_state::kept && decision.expiry) {
        run.installed_der = der_of(*read_certificate_file(section.reference_certificate()));
        run.state = section_state::awaiting_window;
    }
}

void take_window(section_run& run, const client_result& r, const command_line& cl, logger& log)
{
    try {
        if (r.failure)
            throw error("renewal-info " + *r.failure);
        const auto window = suggested_window(nlohmann::json::parse(r.output, nullptr, false));
        apply_decision(run, decide_renewal(*run.config, cl.min_days, std::chrono::system_clock::now(), window), log);
    } catch (const error& e) {
        log.debug(tag(run) + "no renewal window from the CA: " + e.what());
        run.state = section_state::kept;
    }
}

void install_chain(section_run& run, const client_result& client, logger& log)
{
    try {
        if (client.failure)
            throw error("couldn't issue X.509 certificate: " + *client.failure);
        const installed_certificate installed = verify_and_install(*run.config, client.output, client.started);
        run.state = section_state::issued;
        run.expiry = installed.expiry;
        run.paths = installed.paths;
        log.debug(summary_line(result_of(run)));
    } catch (const error& e) {
        fail(run, e.what());
    }
}

// Whether the section's notify runs now: it has one pending (master/pending_notify.hpp), because
// this run installed its certificate or an earlier run died before notifying. A pending record
// of a section that no longer has a notify is dropped.
bool notify_due(const section_run& run, logger& log)
{
    const auto& section = *run.config;
    if (section.reference_certificate().empty() || !notify_pending(section))
        return false;
    if (!section.notify) {
        forget_pending_notify(section, log);
        return false;
    }
    if (run.state != section_state::issued)
        log.info(tag(run) + "an earlier run installed a certificate without running its notify: running it now");
    return true;
}

// Runs the loop until every publisher has removed its records; those it could not remove stay
// in their journal for the next run.
void remove_published_records(master_loop& master, std::list<dns_publisher>& publishers)
{
    for (auto& p : publishers)
        p.remove_all();
    uv_run(master.loop(), UV_RUN_DEFAULT);
    for (const auto& p : publishers)
        if (p.anything_published() || !p.idle())
            master.log().warning("some dns-01 records could not be removed: the next run tries again");
}

// The ARI identifiers go to the client only if it takes --replaces (lacme 0.8's does not).
void drop_unsupported_replaces(const client_capabilities& capabilities, std::vector<section_run>& runs)
{
    if (capabilities.replaces)
        return;
    for (auto& run : runs)
        run.replaces.clear();
}

// Whether a newOrders client orders the section (master/batch_order_runner.hpp). A dns-01
// section keeps a client of its own: its records are asked for on that client's accountd
// connection (accountd_relay::master_requests), which serves one section.
bool batched(const section_run& run, const client_capabilities& capabilities)
{
    return capabilities.orders && run.config->challenge != challenge_type::dns_01;
}

// The client is asked what it supports only when that can change something: an ARI identifier
// to pass, or more than one http-01 section to share a newOrders client (for one, that client
// would save nothing, and the query costs a process).
bool capabilities_matter(const std::vector<section_run>& runs)
{
    std::size_t shared = 0;
    for (const auto& run : runs) {
        if (run.state != section_state::ordering)
            continue;
        if (!run.replaces.empty())
            return true;
        shared += run.config->challenge != challenge_type::dns_01 ? 1 : 0;
    }
    return shared > 1;
}

order_batch_request batch_request(section_run& run)
{
    order_batch_request request;
    request.section = run.config->name;
    request.identifiers = run.config->identifiers();
    request.csr_der = std::move(run.csr);
    request.replaces = run.replaces;
    request.preferred_chain = run.config->preferred_chain;
    return request;
}

// The orders of one run: the http-01 sections through at most --jobs newOrders clients with our
// client, every other section (all of them with lacme 0.8's client) with a client of its own,
// at most --jobs at once; both kinds at the same time, each chain installed as it comes.
class order_run {
public:
    order_run(master_loop& master, const std::string& challenge_dir, const client_capabilities& capabilities)
        : master_(master), challenge_dir_(challenge_dir), capabilities_(capabilities),
          batch_(master, master.options().max_concurrent, master.config().client_config, challenge_dir),
          one_by_one_(master, master.options().max_concurrent)
    {}

    void add(section_run& run)
    {
        master_.log().debug(tag(run) + "Will request authorization for the order's identifiers");
        if (batched(run, capabilities_)) {
            batch_.add({batch_request(run), [&](const client_result& r) { install_chain(run, r, master_.log()); }});
            return;
        }
        client_invocation invocation = order_invocation(master_.config(), run, challenge_dir_);
        if (run.config->challenge == challenge_type::dns_01) {
            try {
                invocation.master_requests =
                    publishers_.emplace_back(master_.loop(), *run.config, master_.log()).requests();
            } catch (const error& e) {
                fail(run, e.what());
                return;
            }
            invocation.config["challenge"] = "dns-01";
        }
        one_by_one_.add({run.config->name, std::move(invocation),
                         [&](const client_result& r) { install_chain(run, r, master_.log()); }});
    }

    // A signal leaves the sections not answered ordering.
    void run()
    {
        run_interruptibly(master_, {&batch_, &one_by_one_});
        if (batch_.clients_started() > 0)
            master_.log().debug(std::to_string(batch_.clients_started()) + " newOrders client(s) served the orders");
        remove_published_records(master_, publishers_);
    }

private:
    master_loop& master_;
    const std::string& challenge_dir_;
    const client_capabilities& capabilities_;
    std::list<dns_publisher> publishers_;  // stable addresses: the relay calls them back
    batch_order_runner batch_;
    section_runner one_by_one_;
};

}  // namespace

std::vector<section_run> section_runs(const std::vector<const certificate_section*>& sections)
{
    std::vector<section_run> runs;
    runs.reserve(sections.size());
    for (const auto* section : sections) {
        section_run run;
        run.config = section;
        runs.push_back(std::move(run));
    }
    return runs;
}

void plan_sections(std::vector<section_run>& runs, std::optional<int> min_days, logger& log)
{
    const auto now = std::chrono::system_clock::now();
    for (auto& run : runs) {
        if (run.state != section_state::planned)
            continue;
        try {
            plan_section(run, min_days, now, log);
        } catch (const error& e) {
            fail(run, e.what());
        }
    }
}

void look_up_renewal_windows(master_loop& master, std::vector<section_run>& runs)
{
    if (!any_in(runs, section_state::awaiting_window))
        return;
    section_runner runner(master, master.options().max_concurrent);
    for (auto& run : runs)
        if (run.state == section_state::awaiting_window)
            runner.add({run.config->name,
                        window_invocation(master.config(), std::move(run.installed_der), run.config->name),
                        [&](const client_result& r) { take_window(run, r, master.options(), master.log()); }});
    runner.run();
    for (auto& run : runs)
        if (run.state == section_state::awaiting_window)
            run.state = section_state::kept;  // interrupted: min-days decided
}

void remove_stale_dns_records(master_loop& master, std::vector<section_run>& runs)
{
    std::list<dns_publisher> publishers;
    for (auto& run : runs) {
        const auto& section = *run.config;
        // Each record is removed the way its journal says, whatever the section says now.
        if (section.reference_certificate().empty() || !section.errors.empty())
            continue;
        try {
            if (publishers.emplace_back(master.loop(), section, master.log()).anything_published())
                master.log().info(tag(run) + "removing the dns-01 records an interrupted run left");
            else
                publishers.pop_back();
        } catch (const error& e) {
            fail(run, e.what());
        }
    }
    if (!publishers.empty())
        remove_published_records(master, publishers);
}

void order_certificates(master_loop& master, std::vector<section_run>& runs, const std::string& challenge_dir)
{
    const client_capabilities capabilities =
        capabilities_matter(runs) ? query_client_capabilities(master) : client_capabilities{};
    drop_unsupported_replaces(capabilities, runs);
    order_run orders(master, challenge_dir, capabilities);
    for (auto& run : runs)
        if (run.state == section_state::ordering)
            orders.add(run);
    orders.run();
}

void fail_ordering(std::vector<section_run>& runs, const std::string& reason)
{
    for (auto& run : runs)
        if (run.state == section_state::ordering)
            fail(run, reason);
}

int notify_installed(std::vector<section_run>& runs, logger& log)
{
    std::vector<section_run*> notified;
    std::vector<std::string> commands;
    for (auto& run : runs)
        if (notify_due(run, log)) {
            notified.push_back(&run);
            commands.push_back(*run.config->notify);
        }
    const notify_outcome outcome = run_notify_commands(commands, log);
    for (section_run* run : notified) {
        const auto failure = std::find_if(outcome.failures.begin(), outcome.failures.end(),
                                          [&](const notify_failure& f) { return f.command == *run->config->notify; });
        if (failure == outcome.failures.end() || failure->ran)
            forget_pending_notify(*run->config, log);
        if (failure == outcome.failures.end())
            continue;
        // The certificate is installed, but the service still runs the old one: a failure.
        run->state = section_state::failed;  // expiry and paths stay: they are installed
        run->detail = "installed, but notify `" + failure->command + "` " + failure->reason;
    }
    return outcome.interrupted_by;
}

bool any_in(const std::vector<section_run>& runs, section_state state)
{
    return std::any_of(runs.begin(), runs.end(), [&](const section_run& r) { return r.state == state; });
}

section_result result_of(const section_run& run)
{
    const std::string& name = run.config->name;
    switch (run.state) {
    case section_state::issued: return {name, section_status::issued, run.expiry, run.paths, {}};
    case section_state::kept:
    case section_state::awaiting_window: return {name, section_status::skipped, run.expiry, {}, run.detail};
    case section_state::failed: return {name, section_status::failed, run.expiry, run.paths, run.detail};
    case section_state::planned:
    case section_state::ordering: break;
    }
    return {name, section_status::failed, std::nullopt, {}, "not issued"};
}

}  // namespace lacme::master
