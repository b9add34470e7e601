// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/account_command.hpp"

#include "client/client_config.hpp"
#include "client/client_error.hpp"
#include "client/account_lookup.hpp"

#include "common/fd_argument.hpp"
#include "common/fd_io.hpp"
#include "common/error.hpp"
#include "common/parse_number.hpp"
#include "common/unique_fd.hpp"
#include "common/text.hpp"
#include "common/unix_socket_connect.hpp"

#include <unistd.h>

#include <optional>

namespace lacme::client {
namespace {

void print_account(std::ostream& out, const nlohmann::json& account, bool tty)
{
    out << account_json_text(account, tty) << '\n';
    out.flush();
    if (!out)
        throw lacme::error("can't write the account object to stdout");
}

}  // namespace

std::string account_json_text(const nlohmann::json& account, bool pretty)
{
    // ensure_ascii escapes everything beyond ASCII and nlohmann escapes the C0 controls; DEL is
    // the one terminal-relevant byte left, and it can only stand inside a string.
    std::string text = account.dump(pretty ? 4 : -1, ' ', true, nlohmann::json::error_handler_t::replace);
    for (std::size_t at = text.find('\x7f'); at != std::string::npos; at = text.find('\x7f', at))
        text.replace(at, 1, "\\u007f");
    return text;
}

namespace {

// RFC 8555 §7.3.5: outer JWS signed with the old key (kid), inner with the new key (jwk).
nlohmann::json roll_over_key(acme_session& session, unique_fd new_key_connection)
{
    const acme_directory& dir = session.directory();
    const std::string& url = dir.require(dir.key_change, "keyChange");
    const nlohmann::json& old_jwk = session.accountd().greeting().jwk;
    if (old_jwk.empty())
        throw lacme::error("keyChange needs the current account key's JWK (remove 'keyid' from lacme-accountd.conf)");
    accountd_connection new_key(std::move(new_key_connection));
    if (new_key.greeting().jwk.empty())
        throw lacme::error("the new key's lacme-accountd sent no JWK (its 'keyid' setting)");
    jws_key inner_key;
    inner_key.alg = new_key.greeting().alg;
    inner_key.jwk = new_key.greeting().jwk;
    const nlohmann::json inner_payload = {{"account", *session.kid()}, {"oldKey", old_jwk}};
    // accountd (Perl's and ours) signs only headers that carry a nonce; RFC 8555 wants none
    // in the inner JWS but CAs ignore it there, so give it one from the pool (never reused).
    std::string nonce;
    if (auto n = session.nonces().take())
        nonce = *n;
    else
        nonce = "AAAA";
    const nlohmann::json inner = sign_jws(new_key, inner_key, nonce, url, encode_payload(inner_payload));
    const http_response r = session.post_ok({.url = url, .payload = inner}, "keyChange");
    session.log().info("Account key changed");
    return nlohmann::json::parse(r.body, nullptr, false);
}

int parse_new_key_fd(std::string_view text)
{
    const int fd = parse_fd(text, "account: --new-key-fd");
    if (fd <= STDERR_FILENO)
        throw lacme::error("account: --new-key-fd must be a descriptor number above 2");
    return fd;
}

std::string read_eab_key(const std::string& source)
{
    if (source == "-")
        return read_to_end(STDIN_FILENO, 4096, "the EAB MAC key on stdin", true);
    return read_file(source, 4096, true);
}

}  // namespace

account_request parse_account_arguments(const std::vector<std::string>& args)
{
    account_request request;
    if (args.empty())
        throw lacme::error("account: missing FLAGS");
    const std::string& flags = args.front();
    const auto flag_bits = parse_number<decltype(request.flags)>(flags);
    if (!flag_bits)
        throw lacme::error("account: FLAGS must be a number");
    request.flags = *flag_bits;
    std::string eab_key_file;
    std::string new_key_socket;
    std::optional<int> new_key_fd;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.starts_with("--eab-kid="))
            request.eab_kid = a.substr(10);
        else if (a.starts_with("--eab-hmac-key="))
            eab_key_file = a.substr(15);
        else if (a.starts_with("--new-key-socket="))
            new_key_socket = a.substr(17);
        else if (a.starts_with("--new-key-fd="))
            new_key_fd = parse_new_key_fd(std::string_view(a).substr(13));
        else if (a.starts_with("--"))
            throw lacme::error("account: unknown option " + printable_for_log(a, 60));
        else
            request.contacts.push_back(a);
    }
    if (request.eab_kid.empty() != eab_key_file.empty())
        throw lacme::error("account: --eab-kid and --eab-hmac-key go together");
    if (!eab_key_file.empty())
        request.eab_hmac_key = read_eab_key(eab_key_file);  // an HMAC key
    if (new_key_fd && !new_key_socket.empty())
        throw lacme::error("account: --new-key-socket and --new-key-fd are alternatives");
    if ((request.flags & account_deactivate) && (new_key_fd || !new_key_socket.empty()))
        throw lacme::error("account: deactivation and key rollover are separate operations");
    // Connected now, during set-up: the sandbox the client enters next allows no UNIX socket.
    if (new_key_fd)
        request.new_key_connection = unique_fd(*new_key_fd);
    else if (!new_key_socket.empty())
        request.new_key_connection = connect_unix(new_key_socket);
    return request;
}

int run_account(acme_session& session, account_request request, std::ostream& out, bool out_is_tty)
{
    const bool rollover = static_cast<bool>(request.new_key_connection);
    const acme_directory& dir = session.directory();
    nlohmann::json account;
    bool have_account = false;

    if (request.flags & account_register) {
        std::string who;
        for (const auto& c : request.contacts)
            who += (who.empty() ? "for " : ", ") + c;
        session.log().info("Requesting new registration " + who);
        nlohmann::json payload = nlohmann::json::object();
        if (!request.contacts.empty())
            payload["contact"] = request.contacts;
        if (request.flags & account_tos_agreed)
            payload["termsOfServiceAgreed"] = true;
        if (!request.eab_kid.empty())
            payload["externalAccountBinding"] = external_account_binding(
                request.eab_kid, request.eab_hmac_key, dir.new_account, session.accountd().greeting().jwk);
        else if (dir.external_account_required)
            throw lacme::error("the CA requires an external account binding (--eab-kid, --eab-hmac-key)");
        if (dir.terms_of_service)
            session.log().info("Terms of Service: " + printable_for_log(*dir.terms_of_service));
        const http_response r =
            session.post_ok({.url = dir.new_account, .payload = payload, .use_jwk = true}, "newAccount");
        const auto location = r.header("location");
        if (!location || location->empty())
            throw acme_error("newAccount: the CA sent no account URL (Location)");
        session.set_kid(*location);
        account = nlohmann::json::parse(r.body, nullptr, false);
        have_account = account.is_object();
        // An existing account (200) keeps its contacts unless new ones were given: no empty update.
        if (r.status != 201 && !request.contacts.empty() &&
            (!have_account || account.value("contact", nlohmann::json()) != nlohmann::json(request.contacts))) {
            const http_response u = session.post_ok(
                {.url = *session.kid(), .payload = nlohmann::json{{"contact", request.contacts}}}, "account update");
            account = json_body(u, "account update");
        }
    } else {
        if (dir.terms_of_service)
            session.log().info("Terms of Service: " + printable_for_log(*dir.terms_of_service));
        ensure_account_url(session, true);
        if (!request.contacts.empty()) {
            const http_response u = session.post_ok(
                {.url = *session.kid(), .payload = nlohmann::json{{"contact", request.contacts}}}, "account update");
            account = json_body(u, "account update");
            have_account = true;
        }
    }
    session.log().info("Key ID: " + printable_for_log(*session.kid(), 200));

    if (rollover) {
        // The old key no longer works: show what the CA answered instead of asking again.
        account = roll_over_key(session, std::move(request.new_key_connection));
        have_account = account.is_object();
        if (!have_account)
            account = nlohmann::json::object();
        have_account = true;
    }
    if (request.flags & account_deactivate) {
        const http_response d = session.post_ok(
            {.url = *session.kid(), .payload = nlohmann::json{{"status", "deactivated"}}}, "account deactivation");
        account = json_body(d, "account deactivation");
        have_account = true;
    }
    if (!have_account) {
        // The newAccount lookup answer has no body at some CAs; ask the account URL itself.
        const http_response g = session.post_ok({.url = *session.kid()}, "account");
        account = json_body(g, "account");
    }
    print_account(out, account, out_is_tty);
    return 0;
}

}  // namespace lacme::client
