// SPDX-License-Identifier: GPL-3.0-or-later
// One certificate section through `lacme newOrder`: its configuration, where it stands, and what
// it needs next (the CSR and the ARI identifier of the certificate it replaces) or ended with.
// The phases below each move sections from one state to the next; the summary and notify read
// the same objects.
#pragma once

#include "master/certificate_config.hpp"
#include "master/command_line.hpp"
#include "master/master_loop.hpp"
#include "master/run_summary.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

enum class section_state {
    planned,  // nothing decided yet
    awaiting_window,  // kept by min-days, unless the CA's renewal window has started
    ordering,  // to be issued: csr (and replaces) are set
    issued,  // installed: expiry and paths are set
    kept,  // the installed certificate stays: detail says why
    failed,  // detail is the one-line error
};

struct section_run {
    const certificate_section* config = nullptr;
    section_state state = section_state::planned;
    std::string csr;  // DER (ordering)
    std::string replaces;  // ARI identifier of the replaced certificate, or empty
    std::string installed_der;  // the installed certificate (awaiting_window)
    std::optional<std::chrono::system_clock::time_point> expiry;
    std::vector<std::string> paths;  // installed files (issued)
    std::string detail;  // kept: why; failed: the error
};

std::vector<section_run> section_runs(const std::vector<const certificate_section*>& sections);

// Phase 1, no CA: configuration errors, an interrupted install to finish, the min-days decision,
// the CSR. Moves planned sections to awaiting_window, ordering, kept or failed.
void plan_sections(std::vector<section_run>& runs, std::optional<int> min_days, logger& log);

// Phase 1b: the dns-01 records that a killed run left published (its journal) are removed
// through the section's dns-hook; a bad journal fails its section.
void remove_stale_dns_records(master_loop& master, std::vector<section_run>& runs);

// Phase 2: asks the CA for each awaiting_window section's renewal window (the client's
// renewal-info) and moves it to ordering when the window has started, else to kept. No window (a
// CA without ARI, a client without renewal-info) keeps the min-days decision.
void look_up_renewal_windows(master_loop& master, std::vector<section_run>& runs);

// Phase 3: runs the clients for the ordering sections and installs each chain as it arrives
// (issued or failed; a signal leaves the others ordering); fail_ordering fails them all at once
// (the challenge responder could not start). An ARI identifier is passed only to a client that
// says it takes --replaces (master/client_capabilities.hpp). With a client that has newOrders,
// the http-01 sections share at most --jobs clients (master/batch_order_runner.hpp); dns-01
// sections, and all of them with lacme 0.8's client, get one client each (at most --jobs at
// once); both kinds run at the same time.
void order_certificates(master_loop& master, std::vector<section_run>& runs, const std::string& challenge_dir);
void fail_ordering(std::vector<section_run>& runs, const std::string& reason);

// Phase 4: the notify commands of the sections installed now and of those an earlier run
// installed without notifying (master/pending_notify.hpp); a failing one fails its sections.
// Returns the signal (SIGINT, SIGTERM, SIGHUP) that stopped the commands, or 0.
int notify_installed(std::vector<section_run>& runs, logger& log);

[[nodiscard]] bool any_in(const std::vector<section_run>& runs, section_state state);
section_result result_of(const section_run& run);

}  // namespace lacme::master
