#include "accountd/key_source.hpp"

#include "accountd/file_signer.hpp"
#include "accountd/pkcs11_signer.hpp"
#include "common/child_process.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/percent_expand.hpp"
#include "common/secret_input.hpp"
#include "common/unique_fd.hpp"
#include "pkcs11/list_keys.hpp"
#include "pkcs11/pin_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sstream>

namespace lacme::accountd {
namespace {

// A PEM key is a few KiB; anything much larger is not a key.
constexpr std::size_t max_key_file = 1024 * 1024;

secret_string read_key_file(const std::string& path)
{
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd)
        throw_errno("can't open " + path);
    return secret_string(read_to_end(fd.get(), max_key_file, path, true));
}

std::vector<std::string> split_on_whitespace(const std::string& text)
{
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    return words;
}

file_signer::passphrase_source passphrase_for(const settings& s, const std::string& key_path)
{
    return [&s, key_path]() {
        if (s.passphrase_file)
            return read_secret_file(percent_expander::for_current_process().expand(*s.passphrase_file));
        if (!have_terminal())
            throw error("the key is encrypted: set passphrase-file or run lacme-accountd on a terminal");
        return prompt_secret("Passphrase for " + key_path + ": ");
    };
}

pkcs11::pin_settings pin_settings_of(const settings& s, const percent_expander& expander)
{
    return {expander.expand(s.pin_state_dir.value_or(std::string(default_pin_state_dir))), s.allow_final_pin_try};
}

}  // namespace

std::unique_ptr<signer> open_signer(const settings& s, logger& log)
{
    if (!s.privkey)
        throw error("'privkey' is not specified");
    const std::string& privkey = *s.privkey;
    const auto colon = privkey.find(':');
    const std::string method = privkey.substr(0, colon);
    if (colon == std::string::npos || colon + 1 == privkey.size())
        throw error("unsupported method: " + privkey);
    const auto expander = percent_expander::for_current_process();
    if (method == "file") {
        const std::string path = expander.expand(privkey.substr(colon + 1));
        log.debug("Loading account key from " + path);
        const secret_string pem = read_key_file(path);
        return file_signer::from_pem(pem.reveal(), path, passphrase_for(s, path));
    }
    if (method == "gpg") {
        const std::string path = expander.expand(privkey.substr(colon + 1));
        auto command = split_on_whitespace(s.gpg.value_or("gpg --quiet"));
        for (const char* arg : {"-o", "-", "--decrypt", "--"})
            command.emplace_back(arg);
        command.push_back(path);
        log.debug("Decrypting account key with " + command.front());
        const secret_string pem(run_capturing_stdout(command, max_key_file));
        return file_signer::from_pem(pem.reveal(), path, passphrase_for(s, path));
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
    throw error("unsupported method: " + privkey);
}

int list_pkcs11_keys(const settings& s, std::ostream& out)
{
    const auto expander = percent_expander::for_current_process();
    // Only the configured key's token gets its PIN (pin-value, pin-source or pin-file), and it is
    // read through the module the key is signed with.
    std::optional<pkcs11::uri> selection;
    std::optional<secret_string> pin;
    if (s.privkey && s.privkey->starts_with("pkcs11:")) {
        selection = pkcs11::uri::parse(*s.privkey);
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
