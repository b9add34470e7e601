// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/certificate_install.hpp"

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "common/pem_certificates.hpp"
#include "common/user_db.hpp"
#include "master/certificate_files.hpp"
#include "master/chain_verification.hpp"
#include "master/install_journal.hpp"
#include "master/issued_leaf.hpp"
#include "master/pending_notify.hpp"

#include <sys/stat.h>

namespace lacme::master {
namespace {

// lacme's default: 0644 minus the umask. The master installs from its one loop thread, so
// reading the umask (which means setting it) races with no other file creation.
mode_t mode_of(const certificate_section& section)
{
    if (section.chmod)
        return *section.chmod;
    const mode_t mask = ::umask(022);
    ::umask(mask);
    return 0644 & ~mask;
}

std::vector<x509_ptr> received_chain(std::string_view pem_chain)
{
    try {
        return read_pem_certificates(pem_chain);
    } catch (const error& e) {
        throw error(std::string("received a bogus certificate chain: ") + e.what());
    }
}

}  // namespace

file_owner resolve_owner(const owner_spec& owner)
{
    const auto user = find_user(owner.user);
    if (!user)
        throw error("chown: unknown user " + owner.user);
    if (!owner.group)
        return {user->uid, static_cast<gid_t>(-1)};
    const auto group = find_group(*owner.group);
    if (!group)
        throw error("chown: unknown group " + *owner.group);
    return {user->uid, group->gid};
}

std::vector<std::string> finish_interrupted_install(const certificate_section& section)
{
    return complete_interrupted_install(install_journal_path(section.reference_certificate()),
                                        {section.certificate, section.certificate_chain});
}

installed_certificate verify_and_install(const certificate_section& section, std::string_view pem_chain,
                                         std::chrono::system_clock::time_point ordered_at)
{
    if (!section.errors.empty())
        throw error(section.errors.front());
    const auto received = received_chain(pem_chain);
    X509& leaf = *received.front();
    if (!certificate_matches_key(leaf, *load_service_key(section.certificate_key)))
        throw error("the issued certificate's public key is not the one of " + section.certificate_key);
    check_issued_leaf(leaf, section, ordered_at);
    const auto chain = section.ca_file.empty() ? issuing_prefix(received)
                                               : verify_server_chain(received, *load_trust_store(section.ca_file));
    const auto owner = section.chown ? std::optional(resolve_owner(*section.chown)) : std::nullopt;
    const mode_t mode = mode_of(section);

    // Both files are written before either replaces its target: a full disk changes neither.
    installed_certificate installed{expiry_of(leaf), {}};
    std::vector<staged_file> staged;
    if (!section.certificate.empty()) {
        staged.emplace_back(section.certificate, pem_of(leaf), mode, owner);
        installed.paths.push_back(section.certificate);
    }
    if (!section.certificate_chain.empty()) {
        std::string all;
        for (const auto& cert : chain)
            all += pem_of(*cert);
        staged.emplace_back(section.certificate_chain, all, mode, owner);
        installed.paths.push_back(section.certificate_chain);
    }
    // From the first rename on, the service needs its notify, even if this run dies first.
    record_pending_notify(section);
    // Two files: journaled, so that a crash between the renames is completed by the next run.
    std::optional<install_journal> journal;
    if (staged.size() > 1)
        journal.emplace(install_journal_path(section.reference_certificate()), staged);
    for (auto& file : staged)
        file.commit();
    if (journal)
        journal->complete();
    return installed;
}

}  // namespace lacme::master
