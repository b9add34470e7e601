// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/key_source.hpp"

#include "accountd/keys/file_signer.hpp"
#include "accountd/keys/pkcs11_signer.hpp"
#include "accountd/keys/provider_store_listing.hpp"
#include "accountd/keys/provider_store_reader.hpp"
#include "accountd/keys/provider_store_signer.hpp"
#include "common/child_process.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/percent_expand.hpp"
#include "common/secret_input.hpp"
#include "common/text.hpp"
#include "pkcs11/list_keys.hpp"
#include "pkcs11/pin_source.hpp"

#include <unistd.h>

#include <optional>

namespace lacme::accountd {
namespace {

// A PEM key is a few KiB; anything much larger is not a key.
constexpr std::size_t max_key_file = std::size_t{1024} * 1024;

secret_string read_key_file(const std::string& path)
{
    return secret_string(read_file(path, max_key_file, true));
}

// file: and gpg: keys take passphrase-file; store: keys, whose provider may want a token PIN,
// also pin-file. Without a file, the terminal.
passphrase_source passphrase_for(std::optional<std::string> file, const std::string& key_name)
{
    return [file = std::move(file), key_name]() {
        if (file)
            return read_secret_file(percent_expander::for_current_process().expand(*file));
        if (!have_terminal())
            throw error("the key is encrypted: set passphrase-file or run lacme-accountd on a terminal");
        return prompt_secret("Passphrase for " + key_name + ": ");
    };
}

std::optional<std::string> store_passphrase_file(const settings& s)
{
    return s.passphrase_file ? s.passphrase_file : s.pin_file;
}

pkcs11::pin_settings pin_settings_of(const settings& s, const percent_expander& expander)
{
    return {pin_state_directory(s, expander), s.allow_final_pin_try};
}

}  // namespace

std::string pin_state_directory(const settings& s, const percent_expander& expander)
{
    return expander.expand(s.pin_state_dir.value_or(std::string(default_pin_state_dir)));
}

std::unique_ptr<signer> open_signer(const settings& s, logger& log)
{
    if (!s.privkey)
        throw error("'privkey' is not specified");
    // Only a pkcs11: URI can hold a secret (pin-value), and it never reaches an error message.
    const std::string_view privkey = s.privkey->reveal();
    const auto colon = privkey.find(':');
    const std::string_view method = privkey.substr(0, colon);
    if (colon == std::string_view::npos || colon + 1 == privkey.size())
        throw error(s.privkey_origin + ": privkey: unsupported method: " + std::string(privkey) +
                    (colon == std::string_view::npos ? " (a key file is file:" + std::string(privkey) + ")" : ""));
    const auto expander = percent_expander::for_current_process();
    if (method == "file") {
        const std::string path = expander.expand(privkey.substr(colon + 1));
        log.debug("Loading account key from " + path);
        const secret_string pem = read_key_file(path);
        return file_signer::from_pem(pem.reveal(), path, passphrase_for(s.passphrase_file, path));
    }
    if (method == "gpg") {
        const std::string path = expander.expand(privkey.substr(colon + 1));
        auto command = split_on_blanks(s.gpg.value_or("gpg --quiet"));
        for (const char* arg : {"-o", "-", "--decrypt", "--"})
            command.emplace_back(arg);
        command.push_back(path);
        log.debug("Decrypting account key with " + command.front());
        const secret_string pem(run_capturing_stdout(command, max_key_file));
        return file_signer::from_pem(pem.reveal(), path, passphrase_for(s.passphrase_file, path));
    }
    if (method == "pkcs11") {
        // The whole value is the RFC 7512 URI; the token signs, the key never leaves it.
        pkcs11::load_options options;
        if (s.pkcs11_module)
            options.module = expander.expand(*s.pkcs11_module);
        if (s.pin_file)
            options.key.pin_file = expander.expand(*s.pin_file);
        options.key.pins = pin_settings_of(s, expander);
        options.key.warn = [&log](std::string_view message) { log.info(message); };
        auto key = std::make_unique<pkcs11_signer>(privkey, std::move(options));
        log.debug("Using PKCS#11 " + key->description());
        return key;
    }
    if (method == "store") {
        // The rest is an OSSL_STORE URI, opened by whichever provider serves its scheme.
        const std::string uri(privkey.substr(colon + 1));
        auto key = std::make_unique<provider_store_signer>(
            uri, s.providers, passphrase_for(store_passphrase_file(s), store_display_name(uri)));
        log.debug("Using " + key->description());
        return key;
    }
    throw error(s.privkey_origin + ": privkey: unsupported method: " + std::string(privkey) +
                " (file:PATH, gpg:PATH, pkcs11:URI or store:URI)");
}

int list_keys(const settings& s, std::ostream& out)
{
    if (!s.privkey || !s.privkey->reveal().starts_with("store:"))
        return list_pkcs11_keys(s, out);
    const std::string uri(s.privkey->reveal().substr(6));
    const provider_context providers(s.providers);
    list_store_objects(providers, uri, passphrase_for(store_passphrase_file(s), store_display_name(uri)), out);
    return 0;
}

int list_pkcs11_keys(const settings& s, std::ostream& out)
{
    const auto expander = percent_expander::for_current_process();
    // Only the configured key's token gets its PIN (pin-value, pin-source or pin-file), and it is
    // read through the module the key is signed with.
    std::optional<pkcs11::uri> selection;
    std::optional<secret_string> pin;
    if (s.privkey && s.privkey->reveal().starts_with("pkcs11:")) {
        selection = pkcs11::uri::parse(s.privkey->reveal());
        pin = pkcs11::configured_pin(*selection, s.pin_file ? expander.expand(*s.pin_file) : std::string());
    }
    const pkcs11::pin_policy policy(pin_settings_of(s, expander));
    pkcs11::list_options options;
    options.selection = selection ? &*selection : nullptr;
    options.pin = pin ? &*pin : nullptr;
    options.policy = &policy;
    const pkcs11::module mod(pkcs11::listing_module(
        options.selection, s.pkcs11_module ? expander.expand(*s.pkcs11_module) : std::string(), options));
    pkcs11::list_keys(mod, options, out);
    return 0;
}

}  // namespace lacme::accountd
