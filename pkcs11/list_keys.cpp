#include "pkcs11/list_keys.hpp"

#include "pkcs11/error.hpp"
#include "pkcs11/public_key.hpp"
#include "pkcs11/session.hpp"
#include "pkcs11/uri_match.hpp"

#include <optional>
#include <set>

namespace lacme::pkcs11 {
namespace {

std::vector<CK_OBJECT_HANDLE> objects_of(const session& s, CK_OBJECT_CLASS cls)
{
    CK_ATTRIBUTE a{CKA_CLASS, &cls, sizeof cls};
    return s.find({&a, 1}, 256);
}

void show_key(const session& s, const token_slot& t, CK_OBJECT_HANDLE object, bool is_private, std::ostream& out)
{
    const auto id = s.attribute(object, CKA_ID).value_or(std::vector<std::uint8_t>{});
    const auto label = s.attribute_string(object, CKA_LABEL);
    std::string usable;
    try {
        usable = std::string(jws_algorithm_name(read_public_key(s, object).alg));
    } catch (const lacme::error& e) {
        usable = std::string("not usable: ") + e.what();
    }
    out << "    " << describe_key(s, object) << " [" << usable << "]"
        << (is_private ? "" : " (private key not visible without login)") << "\n      "
        << uri::format(t.token, id, label, CKO_PRIVATE_KEY) << "\n";
}

// The key pairs visible on s: each named by its private key when visible, else by its public key.
std::size_t show_keys(const session& s, const token_slot& t, std::ostream& out)
{
    std::size_t listed = 0;
    std::set<std::vector<std::uint8_t>> seen_ids;
    for (const auto priv : objects_of(s, CKO_PRIVATE_KEY)) {
        seen_ids.insert(s.attribute(priv, CKA_ID).value_or(std::vector<std::uint8_t>{}));
        show_key(s, t, priv, true, out);
        ++listed;
    }
    for (const auto pub : objects_of(s, CKO_PUBLIC_KEY)) {
        if (seen_ids.count(s.attribute(pub, CKA_ID).value_or(std::vector<std::uint8_t>{})) != 0)
            continue;
        show_key(s, t, pub, false, out);
        ++listed;
    }
    return listed;
}

}  // namespace

std::size_t list_keys(const module& mod, const list_options& options, std::ostream& out)
{
    const auto tokens = list_tokens(mod);
    if (tokens.empty()) {
        out << "no initialised token found through " << mod.path() << "\n";
        return 0;
    }
    std::size_t listed = 0;
    bool pin_refused = false;
    for (const auto& t : tokens) {
        out << "token " << describe(t) << "\n  " << uri::format(t.token) << "\n";
        try {
            const session s(mod, t.slot);
            std::optional<login> logged_in;
            if (options.pin && options.selection && !pin_refused && (t.token.flags & CKF_LOGIN_REQUIRED) &&
                !(t.token.flags & CKF_USER_PIN_LOCKED) && selects(mod, *options.selection, t)) {
                try {
                    logged_in.emplace(s, options.pin);
                } catch (const error& e) {
                    if (!e.pin_rejected())
                        throw;
                    pin_refused = true;
                    out << "    (login failed: " << e.what() << "; not retried; listed without login)\n";
                }
            }
            listed += show_keys(s, t, out);
        } catch (const error& e) {
            out << "    (cannot list: " << e.what() << ")\n";
        }
    }
    return listed;
}

}  // namespace lacme::pkcs11
