#include "pkcs11/list_keys.hpp"

#include "pkcs11/error.hpp"
#include "pkcs11/public_key.hpp"
#include "pkcs11/session.hpp"
#include "pkcs11/uri.hpp"
#include "pkcs11/uri_match.hpp"

#include <set>

namespace lacme::pkcs11 {
namespace {

std::vector<CK_OBJECT_HANDLE> objects_of(const session& s, CK_OBJECT_CLASS cls)
{
    CK_ATTRIBUTE a{CKA_CLASS, &cls, sizeof cls};
    return s.find({&a, 1}, 256);
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
    for (const auto& t : tokens) {
        out << "token " << describe(t) << "\n  " << uri::format(t.token) << "\n";
        try {
            const session s(mod, t.slot);
            std::optional<login> logged_in;
            if (options.pin && (t.token.flags & CKF_LOGIN_REQUIRED) && !(t.token.flags & CKF_USER_PIN_LOCKED))
                logged_in.emplace(s, options.pin);
            // A key pair is named by its private key when visible, else by its public key.
            std::set<std::vector<std::uint8_t>> seen_ids;
            const auto show = [&](CK_OBJECT_HANDLE object, bool is_private) {
                const auto id = s.attribute(object, CKA_ID).value_or(std::vector<std::uint8_t>{});
                const auto label = s.attribute_string(object, CKA_LABEL);
                std::string usable;
                try {
                    const auto pub = read_public_key(s, object);
                    usable = std::string(jws_algorithm_name(pub.alg));
                } catch (const lacme::error& e) {
                    usable = std::string("not usable: ") + e.what();
                }
                out << "    " << describe_key(s, object) << " [" << usable << "]"
                    << (is_private ? "" : " (private key not visible without login)") << "\n      "
                    << uri::format(t.token, id, label, CKO_PRIVATE_KEY) << "\n";
                ++listed;
            };
            for (const auto priv : objects_of(s, CKO_PRIVATE_KEY)) {
                seen_ids.insert(s.attribute(priv, CKA_ID).value_or(std::vector<std::uint8_t>{}));
                show(priv, true);
            }
            for (const auto pub : objects_of(s, CKO_PUBLIC_KEY)) {
                const auto id = s.attribute(pub, CKA_ID).value_or(std::vector<std::uint8_t>{});
                if (seen_ids.count(id) != 0)
                    continue;
                show(pub, false);
            }
        } catch (const error& e) {
            out << "    (cannot list: " << e.what() << ")\n";
        }
    }
    return listed;
}

}  // namespace lacme::pkcs11
