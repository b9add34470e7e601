#include "accountd/signing_request_classifier.hpp"

#include "accountd/csr_names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <set>

namespace lacme::accountd {
namespace {

using json = nlohmann::json;

// More identifiers than any CA takes in one order (Let's Encrypt: 100).
constexpr std::size_t max_order_identifiers = 1000;

// Duplicate member names are refused: the CA's JSON parser might read the other copy.
json parse_without_duplicates(std::string_view text)
{
    std::vector<std::set<std::string>> keys;  // of each open object
    bool duplicate = false;
    json value = json::parse(
        text,
        [&keys, &duplicate](int, json::parse_event_t event, json& parsed) {
            if (event == json::parse_event_t::object_start)
                keys.emplace_back();
            else if (event == json::parse_event_t::object_end)
                keys.pop_back();
            else if (event == json::parse_event_t::key && !keys.empty()) {
                duplicate = !keys.back().insert(parsed.get<std::string>()).second || duplicate;
            }
            return true;
        },
        false);
    return duplicate ? json(json::value_t::discarded) : value;
}

bool members_within(const json& object, std::initializer_list<std::string_view> allowed)
{
    return std::all_of(object.items().begin(), object.items().end(), [&allowed](const auto& item) {
        return std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end();
    });
}

bool is_string_member(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string();
}

bool read_identifier(const json& value, std::vector<identifier>& out)
{
    if (!value.is_object() || !is_string_member(value, "type") || !is_string_member(value, "value"))
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
    if (!members_within(payload, {"identifiers", "notBefore", "notAfter", "replaces", "profile"}))
        return unknown(r, "unexpected member in a newOrder payload");
    if (!ids.is_array() || ids.empty() || ids.size() > max_order_identifiers)
        return unknown(r, "newOrder identifiers is not an array of 1 to 1000 identifiers");
    for (const json& id : ids)
        if (!read_identifier(id, r.identifiers))
            return unknown(r, "malformed identifier in a newOrder payload");
    r.op = operation::new_order;
    return r;
}

classified_request& classify_object(classified_request& r, const json& payload)
{
    if (payload.empty()) {
        r.op = operation::challenge;
        return r;
    }
    if (payload.contains("identifiers"))
        return classify_order(r, payload);
    if (payload.contains("identifier")) {
        if (payload.size() != 1 || !read_identifier(payload["identifier"], r.identifiers))
            return unknown(r, "malformed newAuthz payload");
        r.op = operation::new_authz;
        return r;
    }
    if (payload.contains("csr") && payload.size() == 1)
        return with_names(r, operation::finalize, payload["csr"], csr_names, "CSR");
    if (payload.contains("certificate") && members_within(payload, {"certificate", "reason"}))
        return with_names(r, operation::revoke, payload["certificate"], certificate_names, "certificate");
    if (payload.size() == 1 && payload.value("status", json()) == "deactivated") {
        r.op = operation::deactivate;
        return r;
    }
    if (payload.value("onlyReturnExisting", json()) == true &&
        members_within(payload, {"onlyReturnExisting", "contact", "termsOfServiceAgreed"})) {
        r.op = operation::lookup;
        return r;
    }
    if (members_within(payload, {"contact", "termsOfServiceAgreed", "externalAccountBinding", "onlyReturnExisting"})) {
        r.op = operation::account;
        return r;
    }
    if (payload.size() == 3 && is_string_member(payload, "protected") && is_string_member(payload, "payload") &&
        is_string_member(payload, "signature")) {
        r.op = operation::keychange;
        return r;
    }
    if (payload.size() == 2 && payload.contains("account") && payload.contains("oldKey")) {
        r.op = operation::keychange;
        return r;
    }
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
    const json h = parse_without_duplicates(header);
    if (!h.is_object() || !is_string_member(h, "url"))
        return unknown(r, "protected header without a url (or repeating a member)");
    r.url = h["url"].get<std::string>();
    r.jwk_headed = h.contains("jwk") && !h["jwk"].is_null();
    if (payload.empty()) {
        r.op = operation::get;
        return r;
    }
    const json p = parse_without_duplicates(payload);
    if (!p.is_object())
        return unknown(r, "payload is not a JSON object (or repeats a member)");
    return classify_object(r, p);
}

}  // namespace lacme::accountd
