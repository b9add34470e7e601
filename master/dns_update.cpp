// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_update.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

#include <stdbool.h>  // before ldns: ldns/common.h defines `bool` as a macro unless stdbool.h came first
#include <ldns/ldns.h>

#include <array>
#include <chrono>
#include <cstdlib>

namespace lacme::master {
namespace {

struct pkt_free {
    void operator()(ldns_pkt* p) const noexcept { ldns_pkt_free(p); }
};
struct rr_list_free {
    void operator()(ldns_rr_list* l) const noexcept { ldns_rr_list_deep_free(l); }
};
struct wire_free {
    void operator()(std::uint8_t* w) const noexcept { std::free(w); }
};
using pkt_ptr = std::unique_ptr<ldns_pkt, pkt_free>;

constexpr std::array rcode_names = {"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                    "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};

std::string tsig_error_name(unsigned error)
{
    switch (error) {
    case 16: return "BADSIG";
    case 17: return "BADKEY";
    case 18: return "BADTIME";
    case 22: return "BADTRUNC";
    default: return "error " + std::to_string(error);
    }
}

std::string without_trailing_dot(std::string_view name)
{
    if (name.ends_with('.'))
        name.remove_suffix(1);
    return ascii_lower(name);
}

// The update section: one TXT record, IN with a TTL to add, NONE with TTL 0 to delete the value.
std::unique_ptr<ldns_rr_list, rr_list_free> update_section(dns01_action action, const dns_record& record)
{
    ldns_rr* rr = nullptr;
    // The name and the value are the client's, checked by parse_dns01_request: a domain name and
    // base64url, nothing that the presentation format would read differently.
    const std::string text =
        without_trailing_dot(record.name) + ". " + std::to_string(dns_update_ttl) + " IN TXT \"" + record.value + "\"";
    if (ldns_rr_new_frm_str(&rr, text.c_str(), 0, nullptr, nullptr) != LDNS_STATUS_OK)
        throw error("can't make a TXT record of " + record.name);
    if (action == dns01_action::remove) {
        ldns_rr_set_class(rr, LDNS_RR_CLASS_NONE);
        ldns_rr_set_ttl(rr, 0);
    }
    std::unique_ptr<ldns_rr_list, rr_list_free> list(ldns_rr_list_new());
    if (!list || !ldns_rr_list_push_rr(list.get(), rr)) {
        ldns_rr_free(rr);
        throw error("out of memory building a DNS update");
    }
    return list;
}

std::uint64_t tsig_time(const ldns_rdf* rdf)
{
    if (!rdf || ldns_rdf_size(rdf) != 6)
        return 0;
    std::uint64_t t = 0;
    for (std::size_t i = 0; i < 6; ++i)
        t = (t << 8) | ldns_rdf_data(rdf)[i];
    return t;
}

bool tsig_verifies(ldns_pkt* pkt, std::span<const std::uint8_t> response, const tsig_key& key,
                   const ldns_rdf* request_mac)
{
    ldns_rr* const tsig = ldns_pkt_tsig(pkt);
    const bool verified = ldns_pkt_tsig_verify(pkt, response.data(), response.size(), (key.name + ".").c_str(),
                                               key.secret.c_str(), request_mac);
    // libldns 1.8.3 detaches the TSIG record while it computes the MAC and does not put it back when
    // it cannot (an algorithm it does not know): the record is then ours to free.
    if (ldns_pkt_tsig(pkt) != tsig)
        ldns_rr_free(tsig);
    return verified;
}

}  // namespace

void dns_update::rdf_free::operator()(ldns_struct_rdf* rdf) const noexcept
{
    ldns_rdf_deep_free(rdf);
}

std::string dns_rcode_name(unsigned rcode)
{
    return rcode < rcode_names.size() ? rcode_names[rcode] : "RCODE " + std::to_string(rcode);
}

bool dns_name_in_zone(std::string_view name, std::string_view zone)
{
    const std::string n = without_trailing_dot(name);
    const std::string z = without_trailing_dot(zone);
    return z.empty() || n == z || n.ends_with("." + z);
}

dns_update::dns_update(std::string_view zone, dns01_action action, const dns_record& record, const tsig_key& key,
                       std::uint16_t id)
    : id_(id)
{
    if (!dns_name_in_zone(record.name, zone))
        throw error(record.name + " is not in zone " + std::string(zone));
    ldns_rdf* zone_name = ldns_dname_new_frm_str((without_trailing_dot(zone) + ".").c_str());
    if (!zone_name)
        throw error("bad zone name '" + printable_for_log(zone) + "'");
    const auto updates = update_section(action, record);
    pkt_ptr pkt(ldns_update_pkt_new(zone_name, LDNS_RR_CLASS_IN, nullptr, updates.get(), nullptr));
    if (!pkt)
        throw error("out of memory building a DNS update");
    ldns_pkt_set_rd(pkt.get(), false);
    ldns_pkt_set_id(pkt.get(), id);
    const ldns_status signed_ = ldns_pkt_tsig_sign(pkt.get(), (key.name + ".").c_str(), key.secret.c_str(), tsig_fudge,
                                                   (key.algorithm + ".").c_str(), nullptr);
    if (signed_ != LDNS_STATUS_OK)
        throw error("can't sign the DNS update with key '" + key.name + "': " + ldns_get_errorstr_by_id(signed_));
    mac_.reset(ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(pkt.get()), 3)));
    std::uint8_t* bytes = nullptr;
    std::size_t size = 0;
    if (ldns_pkt2wire(&bytes, pkt.get(), &size) != LDNS_STATUS_OK || !mac_)
        throw error("out of memory building a DNS update");
    const std::unique_ptr<std::uint8_t, wire_free> owned(bytes);
    wire_.assign(reinterpret_cast<const char*>(bytes), size);
}

dns_update::~dns_update() = default;

std::optional<dns_update::failure> dns_update::failure_of(std::span<const std::uint8_t> response,
                                                          const tsig_key& key) const
{
    ldns_pkt* parsed = nullptr;
    if (ldns_wire2pkt(&parsed, response.data(), response.size()) != LDNS_STATUS_OK)
        return failure{"a malformed response", false};
    const pkt_ptr pkt(parsed);
    if (ldns_pkt_id(pkt.get()) != id_ || !ldns_pkt_qr(pkt.get()) ||
        ldns_pkt_get_opcode(pkt.get()) != LDNS_PACKET_UPDATE)
        return failure{"a response that does not answer the update", false};
    const unsigned rcode = ldns_pkt_get_rcode(pkt.get());
    const ldns_rr* tsig = ldns_pkt_tsig(pkt.get());
    const unsigned tsig_error = tsig && ldns_rr_rd_count(tsig) > 5 ? ldns_rdf2native_int16(ldns_rr_rdf(tsig, 5)) : 0;
    // An error needs no proof: at worst a forged one fails the section, which its absence would too.
    if (rcode != LDNS_RCODE_NOERROR || tsig_error != 0)
        return failure{
            "rcode " + dns_rcode_name(rcode) + (tsig_error ? " (TSIG " + tsig_error_name(tsig_error) + ")" : ""), true};
    if (!tsig)
        return failure{"an unsigned NOERROR response (the server must sign with the key)", false};
    // The key's name is part of what the MAC covers: another key's signature does not verify.
    if (!tsig_verifies(pkt.get(), response, key, mac_.get()))
        return failure{"a response whose TSIG signature does not verify with key '" + key.name + "'", false};
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto signed_at = static_cast<long long>(tsig_time(ldns_rr_rdf(tsig, 1)));
    if (std::llabs(now - signed_at) > tsig_fudge)
        return failure{"a response signed at a time more than " + std::to_string(tsig_fudge) +
                           " s away from ours (BADTIME)",
                       false};
    return std::nullopt;
}

}  // namespace lacme::master
