// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/signing_request_classifier.hpp"

#include "accountd/policy/csr_names.hpp"
#include "common/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <set>

namespace lacme::accountd {
namespace {

using json = nlohmann::json;

// More identifiers than any CA takes in one order (Let's Encrypt: 100).
constexpr std::size_t max_order_identifiers = 1000;

// Go's encoding/json, the CA's decoder, matches member names to its structs' fields
// case-insensitively, with Unicode folds (U+017F folds to 's', U+212A to 'k'), and the last
// match wins. So, at every depth: member names are ASCII (escapes decoded), and no two in one
// object are equal ignoring ASCII case; exact duplicates are the extreme case of that.
bool member_name_acceptable(const std::string& name, std::set<std::string>& folded_names_of_object)
{
    if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        return false;
    return folded_names_of_object.insert(ascii_lower(name)).second;
}

// The parsed text, or discarded when it is no JSON or has a member name refused above.
json parse_unambiguous(std::string_view text)
{
    std::vector<std::set<std::string>> names;  // of each open object, folded
    bool ambiguous = false;
    json value = json::parse(
        text,
        [&names, &ambiguous](int, json::parse_event_t event, json& parsed) {
            if (event == json::parse_event_t::object_start)
                names.emplace_back();
            else if (event == json::parse_event_t::object_end)
                names.pop_back();
            else if (event == json::parse_event_t::key && !names.empty())
                ambiguous = !member_name_acceptable(parsed.get<std::string>(), names.back()) || ambiguous;
            return true;
        },
        false);
    return ambiguous ? json(json::value_t::discarded) : value;
}

bool members_within(const json& object, std::initializer_list<std::string_view> allowed)
{
    return std::all_of(object.items().begin(), object.items().end(), [&allowed](const auto& item) {
        return std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end();
    });
}

// Exactly these members, whatever their values.
bool members_exactly(const json& object, std::initializer_list<std::string_view> names)
{
    return object.is_object() && object.size() == names.size() && members_within(object, names);
}

bool is_string_member(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string();
}

// Absent, or present with a value of the right kind (never null: Go leaves the field as it was).
bool optional_member(const json& object, const char* key, bool (json::*is_kind)() const noexcept)
{
    const auto it = object.find(key);
    return it == object.end() || ((*it).*is_kind)();
}

bool all_strings(const json& array)
{
    return array.is_array() && std::all_of(array.begin(), array.end(), [](const json& v) { return v.is_string(); });
}

bool is_flattened_jws(const json& value)
{
    return members_exactly(value, {"protected", "payload", "signature"}) && is_string_member(value, "protected") &&
           is_string_member(value, "payload") && is_string_member(value, "signature");
}

// Exactly {"type": string, "value": string}.
bool read_identifier(const json& value, std::vector<identifier>& out)
{
    if (!members_exactly(value, {"type", "value"}) || !is_string_member(value, "type") ||
        !is_string_member(value, "value"))
        return false;
    out.push_back({value["type"].get<std::string>(), value["value"].get<std::string>()});
    return true;
}

classified_request& unknown(classified_request& r, std::string problem)
{
    r.op = operation::unknown;
    r.identifiers.clear();
    r.problem = std::move(problem);
    return r;
}

classified_request& known(classified_request& r, operation op)
{
    r.op = op;
    return r;
}

// Adds the names of a CSR or a certificate; `read` is csr_names or certificate_names.
classified_request& with_names(classified_request& r, operation op, const json& der,
                               std::optional<std::vector<identifier>> (*read)(std::string_view), const char* what)
{
    if (!der.is_string())
        return unknown(r, std::string(what) + " is not a string");
    auto names = read(der.get_ref<const std::string&>());
    if (!names)
        return unknown(r, std::string("unreadable ") + what);
    r.op = op;
    r.identifiers = std::move(*names);
    return r;
}

classified_request& classify_order(classified_request& r, const json& payload)
{
    const json& ids = payload["identifiers"];
    if (!members_within(payload, {"identifiers", "notBefore", "notAfter", "replaces", "profile"}) ||
        !optional_member(payload, "notBefore", &json::is_string) ||
        !optional_member(payload, "notAfter", &json::is_string) ||
        !optional_member(payload, "replaces", &json::is_string) ||
        !optional_member(payload, "profile", &json::is_string))
        return unknown(r, "unexpected member in a newOrder payload");
    if (!ids.is_array() || ids.empty() || ids.size() > max_order_identifiers)
        return unknown(r, "newOrder identifiers is not an array of 1 to 1000 identifiers");
    for (const json& id : ids)
        if (!read_identifier(id, r.identifiers))
            return unknown(r, "malformed identifier in a newOrder payload");
    return known(r, operation::new_order);
}

// newAccount or an account update: contact, termsOfServiceAgreed, externalAccountBinding,
// onlyReturnExisting, each of its own type.
bool is_account_payload(const json& payload)
{
    return members_within(payload,
                          {"contact", "termsOfServiceAgreed", "externalAccountBinding", "onlyReturnExisting"}) &&
           (!payload.contains("contact") || all_strings(payload["contact"])) &&
           optional_member(payload, "termsOfServiceAgreed", &json::is_boolean) &&
           optional_member(payload, "onlyReturnExisting", &json::is_boolean) &&
           (!payload.contains("externalAccountBinding") || is_flattened_jws(payload["externalAccountBinding"]));
}

classified_request& classify_object(classified_request& r, const json& payload)
{
    if (payload.empty())
        return known(r, operation::challenge);
    if (payload.contains("identifiers"))
        return classify_order(r, payload);
    if (members_exactly(payload, {"identifier"})) {
        if (!read_identifier(payload["identifier"], r.identifiers))
            return unknown(r, "malformed newAuthz payload");
        return known(r, operation::new_authz);
    }
    if (members_exactly(payload, {"csr"}))
        return with_names(r, operation::finalize, payload["csr"], csr_names, "CSR");
    if (payload.contains("certificate") && members_within(payload, {"certificate", "reason"})) {
        if (!optional_member(payload, "reason", &json::is_number_unsigned))
            return unknown(r, "revocation reason is not a number");
        return with_names(r, operation::revoke, payload["certificate"], certificate_names, "certificate");
    }
    if (members_exactly(payload, {"status"}) && payload["status"] == "deactivated")
        return known(r, operation::deactivate);
    // RFC 8555 7.3.1: a look-up carries nothing else and is signed with the key itself (jwk).
    if (r.jwk_headed && payload == json{{"onlyReturnExisting", true}})
        return known(r, operation::lookup);
    if (is_account_payload(payload))
        return known(r, operation::account);
    if (is_flattened_jws(payload))
        return known(r, operation::keychange);
    if (members_exactly(payload, {"account", "oldKey"}) && payload["account"].is_string() &&
        payload["oldKey"].is_object())
        return known(r, operation::keychange);
    return unknown(r, "payload of no known shape");
}

}  // namespace

std::string_view operation_name(operation op) noexcept
{
    switch (op) {
    case operation::get: return "get";
    case operation::challenge: return "challenge";
    case operation::lookup: return "lookup";
    case operation::new_order:
    case operation::new_authz:
    case operation::finalize: return "order";
    case operation::revoke: return "revoke";
    case operation::account: return "account";
    case operation::deactivate: return "deactivate";
    case operation::keychange: return "keychange";
    case operation::unknown: return "unknown";
    }
    return "unknown";
}

classified_request classify_signing_request(std::string_view header, std::string_view payload)
{
    classified_request r;
    const json h = parse_unambiguous(header);
    if (!h.is_object() || !is_string_member(h, "url"))
        return unknown(r, "protected header without a url (or with a member name a CA could read as another)");
    r.url = h["url"].get<std::string>();
    r.jwk_headed = h.contains("jwk") && !h["jwk"].is_null();
    if (payload.empty()) {
        r.op = operation::get;
        return r;
    }
    const json p = parse_unambiguous(payload);
    if (!p.is_object())
        return unknown(r, "payload is not a JSON object (or has a member name a CA could read as another)");
    return classify_object(r, p);
}

}  // namespace lacme::accountd
