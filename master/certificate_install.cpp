#include "master/certificate_install.hpp"

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/pem_certificates.hpp"
#include "common/user_lookup.hpp"
#include "master/certificate_files.hpp"
#include "master/chain_verification.hpp"

#include <sys/stat.h>

namespace lacme::master {
namespace {

std::optional<file_owner> owner_of(const certificate_section& section)
{
    if (!section.chown)
        return std::nullopt;
    try {
        return file_owner{lookup_uid(section.chown->user),
                          section.chown->group ? lookup_gid(*section.chown->group) : static_cast<gid_t>(-1)};
    } catch (const error& e) {
        throw error(std::string("chown: ") + e.what());
    }
}

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

installed_certificate verify_and_install(const certificate_section& section, std::string_view pem_chain)
{
    if (!section.errors.empty())
        throw error(section.errors.front());
    const auto chain = received_chain(pem_chain);
    X509& leaf = *chain.front();
    if (!certificate_matches_key(leaf, *load_service_key(section.certificate_key)))
        throw error("the issued certificate's public key is not the one of " + section.certificate_key);
    if (!section.ca_file.empty())
        verify_server_chain(chain, *load_trust_store(section.ca_file));
    const auto owner = owner_of(section);
    const mode_t mode = mode_of(section);

    installed_certificate installed{expiry_of(leaf), {}};
    if (!section.certificate.empty()) {
        write_file_atomically(section.certificate, pem_of(leaf), mode, owner);
        installed.paths.push_back(section.certificate);
    }
    if (!section.certificate_chain.empty()) {
        std::string all;
        for (const auto& cert : chain)
            all += pem_of(*cert);
        write_file_atomically(section.certificate_chain, all, mode, owner);
        installed.paths.push_back(section.certificate_chain);
    }
    return installed;
}

}  // namespace lacme::master
