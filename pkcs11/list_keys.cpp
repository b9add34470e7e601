// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/list_keys.hpp"

#include "pkcs11/error.hpp"
#include "pkcs11/public_key.hpp"
#include "pkcs11/session.hpp"
#include "pkcs11/uri_match.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace lacme::pkcs11 {
namespace {

using key_id = std::vector<std::uint8_t>;

std::vector<CK_OBJECT_HANDLE> objects_of(const session& s, CK_OBJECT_CLASS cls)
{
    CK_ATTRIBUTE a{CKA_CLASS, &cls, sizeof cls};
    return s.find({&a, 1}, 256);
}

// One key pair as listed: its private key when visible, else its public key.
struct listed_key {
    CK_OBJECT_HANDLE object;
    key_id id;
    std::string label;
    bool is_private;
};

std::vector<listed_key> key_pairs(const session& s)
{
    std::vector<listed_key> keys;
    const auto add = [&](CK_OBJECT_HANDLE object, bool is_private) {
        keys.push_back({object, s.attribute(object, CKA_ID).value_or(key_id{}), s.attribute_string(object, CKA_LABEL),
                        is_private});
    };
    for (const auto priv : objects_of(s, CKO_PRIVATE_KEY))
        add(priv, true);
    const auto private_count = keys.size();
    for (const auto pub : objects_of(s, CKO_PUBLIC_KEY)) {
        const auto id = s.attribute(pub, CKA_ID).value_or(key_id{});
        const auto same_id = [&](const listed_key& k) { return k.is_private && k.id == id; };
        if (std::none_of(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(private_count), same_id))
            add(pub, false);
    }
    return keys;
}

// The URI to paste as privkey: the private key by id= (ykcs11 and OpenSC give the public and the
// private key different labels, so object= from the public key would match nothing); object=
// only where the id does not tell the keys apart.
std::string key_uri(const token_slot& t, const listed_key& k, std::size_t keys_with_this_id,
                    const list_options& options)
{
    const bool need_label = k.id.empty() || keys_with_this_id > 1;
    return uri::format({.token = t.token,
                        .id = k.id,
                        .object = need_label ? std::string_view(k.label) : std::string_view(),
                        .private_key = true,
                        .module_name = options.module_name,
                        .module_path = options.module_path});
}

std::size_t show_keys(const session& s, const token_slot& t, const list_options& options, std::ostream& out)
{
    const auto keys = key_pairs(s);
    std::map<key_id, std::size_t> id_count;
    for (const auto& k : keys)
        ++id_count[k.id];
    for (const auto& k : keys) {
        std::string usable;
        try {
            usable = std::string(jws_algorithm_name(read_public_key(s, k.object).alg));
        } catch (const lacme::error& e) {
            usable = std::string("not usable: ") + e.what();
        }
        out << "    " << describe_key(s, k.object) << " [" << usable << "]"
            << (k.is_private ? "" : " (private key not visible without login)") << "\n      "
            << key_uri(t, k, id_count[k.id], options) << "\n";
    }
    return keys.size();
}

// Logs in to t when the configured key's URI selects it and its PIN may be offered; otherwise
// says why not. pin_refused: a token refused the PIN (in this listing), which is then offered
// to no other token.
void login_if_selected(const module& mod, const session& s, const token_slot& t, const list_options& options,
                       const pin_policy& policy, bool& pin_refused, std::optional<login>& logged_in, std::ostream& out)
{
    if (!options.pin || !options.selection || pin_refused || !(t.token.flags & CKF_LOGIN_REQUIRED) ||
        !selects(mod, *options.selection, t))
        return;
    try {
        policy.check_token(t);
        policy.check_pin(t, *options.pin);
    } catch (const error& e) {
        out << "    (not logged in: " << e.what() << ")\n";
        return;
    }
    try {
        logged_in.emplace(s, options.pin);
        policy.accepted(t);
    } catch (const error& e) {
        if (!e.pin_rejected())
            throw;
        pin_refused = true;
        const std::string recorded = policy.rejected(t, *options.pin);
        out << "    (login failed: " << e.what() << "; not retried" << (recorded.empty() ? "" : "; " + recorded)
            << "; listed without login)\n";
    }
}

}  // namespace

std::string listing_module(const uri* configured, std::string_view configured_module, list_options& options)
{
    const std::string_view path = configured ? configured->module_path() : std::string_view();
    const std::string_view name = configured ? configured->module_name() : std::string_view();
    if (!path.empty())
        options.module_path = path;
    else if (!name.empty())
        options.module_name = name;
    else if (!configured_module.empty())
        options.module_path = configured_module;
    return resolve_module(path, name, configured_module);
}

std::size_t list_keys(const module& mod, const list_options& options, std::ostream& out)
{
    const auto tokens = list_tokens(mod);
    if (tokens.empty()) {
        out << "no initialised token found through " << mod.path() << "\n";
        return 0;
    }
    const pin_policy this_listing_only(pin_settings{});
    const pin_policy& policy = options.policy ? *options.policy : this_listing_only;
    std::size_t listed = 0;
    bool pin_refused = false;
    for (const auto& t : tokens) {
        out << "token " << describe(t) << "\n  " << uri::format({.token = t.token}) << "\n";
        try {
            const session s(mod, t.slot);
            std::optional<login> logged_in;
            login_if_selected(mod, s, t, options, policy, pin_refused, logged_in, out);
            listed += show_keys(s, t, options, out);
        } catch (const error& e) {
            out << "    (cannot list: " << e.what() << ")\n";
        }
    }
    return listed;
}

}  // namespace lacme::pkcs11
