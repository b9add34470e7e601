// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/settings.hpp"
#include "common/percent_expand.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <initializer_list>

using lacme::accountd::merge_config_file;
using lacme::accountd::parse_command_line;
using lacme::accountd::require_privkey;
using lacme::accountd::settings;
using lacme::test::error_message;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

// A mutable argv as main() receives it.
class argv_builder {
public:
    argv_builder(std::initializer_list<const char*> args)
    {
        strings_.emplace_back("lacme-accountd");
        strings_.insert(strings_.end(), args.begin(), args.end());
        for (auto& s : strings_)
            pointers_.push_back(s.data());
        pointers_.push_back(nullptr);
    }
    [[nodiscard]] int argc() const { return static_cast<int>(strings_.size()); }
    [[nodiscard]] char** argv() { return pointers_.data(); }

private:
    std::vector<std::string> strings_;
    std::vector<char*> pointers_;
};

settings parse(std::initializer_list<const char*> args)
{
    argv_builder a(args);
    return parse_command_line(a.argc(), a.argv());
}

std::string parse_error(std::initializer_list<const char*> args)
{
    return error_message([&] { (void)parse(args); });
}

// The settings of a command line naming config (and whatever `cli` sets besides) once the file
// is merged. Settings are built afresh each time: they hold a secret, so they cannot be copied.
settings merged(const std::string& config, const std::function<void(settings&)>& cli = {}, bool* was_read = nullptr)
{
    settings s;
    s.config = config;
    if (cli)
        cli(s);
    bool read = false;
    merge_config_file(s, read);
    if (was_read != nullptr)
        *was_read = read;
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(accountd_command_line)

BOOST_AUTO_TEST_CASE(no_arguments_gives_defaults)
{
    const settings s = parse({});
    BOOST_TEST(!s.config);
    BOOST_TEST(!s.privkey);
    BOOST_TEST(!s.socket);
    BOOST_TEST(!s.stdio);
    BOOST_TEST(!s.quiet);
    BOOST_TEST(!s.debug);
    BOOST_TEST(!s.help);
    BOOST_TEST(!s.version);
    BOOST_TEST(!s.list_keys);
}

BOOST_AUTO_TEST_CASE(options_with_equals_sign)
{
    const settings s = parse({"--config=/etc/acc.conf", "--privkey=file:/k.pem", "--socket=/run/S.lacme",
                              "--pkcs11-module=/usr/lib/softhsm/libsofthsm2.so"});
    BOOST_TEST(s.config.value_or("") == "/etc/acc.conf");
    BOOST_TEST(s.privkey->reveal() == "file:/k.pem");
    BOOST_TEST(s.socket.value_or("") == "/run/S.lacme");
    BOOST_TEST(s.pkcs11_module.value_or("") == "/usr/lib/softhsm/libsofthsm2.so");
}

BOOST_AUTO_TEST_CASE(options_with_separate_argument)
{
    const settings s = parse({"--config", "/etc/acc.conf", "--privkey", "gpg:/k.gpg", "--socket", "/run/S.lacme",
                              "--pkcs11-module", "/m.so"});
    BOOST_TEST(s.config.value_or("") == "/etc/acc.conf");
    BOOST_TEST(s.privkey->reveal() == "gpg:/k.gpg");
    BOOST_TEST(s.socket.value_or("") == "/run/S.lacme");
    BOOST_TEST(s.pkcs11_module.value_or("") == "/m.so");
}

BOOST_AUTO_TEST_CASE(value_keeps_equals_signs_and_semicolons)
{
    const settings s = parse({"--privkey=pkcs11:token=acme;object=account?pin-source=/p"});
    BOOST_TEST(s.privkey->reveal() == "pkcs11:token=acme;object=account?pin-source=/p");
}

BOOST_AUTO_TEST_CASE(flags)
{
    const settings s = parse({"--stdio", "--quiet", "--debug", "--help", "--version", "--list-keys"});
    BOOST_TEST(s.stdio);
    BOOST_TEST(s.quiet);
    BOOST_TEST(s.debug);
    BOOST_TEST(s.help);
    BOOST_TEST(s.version);
    BOOST_TEST(s.list_keys);
}

BOOST_AUTO_TEST_CASE(short_options)
{
    BOOST_TEST(parse({"-q"}).quiet);
    BOOST_TEST(parse({"-h"}).help);
    const settings both = parse({"-qh"});
    BOOST_TEST(both.quiet);
    BOOST_TEST(both.help);
    BOOST_TEST(!parse({"-q"}).help);
}

BOOST_AUTO_TEST_CASE(unambiguous_abbreviations_are_accepted)
{
    // Perl's Getopt::Long, which lacme-accountd 0.8 uses, accepts unique prefixes too.
    const settings s = parse({"--priv=file:/k", "--conf=/c", "--std"});
    BOOST_TEST(s.privkey->reveal() == "file:/k");
    BOOST_TEST(s.config.value_or("") == "/c");
    BOOST_TEST(s.stdio);
}

BOOST_AUTO_TEST_CASE(unknown_options_are_errors)
{
    BOOST_TEST(parse_error({"--bogus"}) == "unknown option --bogus");
    BOOST_TEST(parse_error({"--quiet", "-x"}) == "unknown option -x");
    BOOST_TEST(parse_error({"--s=/x"}) == "unknown option --s=/x");  // ambiguous: --socket, --stdio
    BOOST_TEST(parse_error({"--stdio=yes"}) == "unknown option --stdio=yes");
}

BOOST_AUTO_TEST_CASE(missing_argument_is_an_error)
{
    BOOST_TEST(parse_error({"--privkey"}) == "option --privkey requires an argument");
    BOOST_TEST(parse_error({"--quiet", "--config"}) == "option --config requires an argument");
    BOOST_TEST(parse_error({"--socket"}) == "option --socket requires an argument");
}

BOOST_AUTO_TEST_CASE(positional_arguments_are_errors)
{
    BOOST_TEST(parse_error({"--quiet", "extra"}) == "unexpected argument extra");
    BOOST_TEST(parse_error({"extra", "--quiet"}) == "unexpected argument extra");
}

BOOST_AUTO_TEST_CASE(idle_timeout_option)
{
    BOOST_TEST(!parse({}).idle_timeout);
    BOOST_TEST(parse({"--idle-timeout=30"}).idle_timeout.value_or(std::chrono::seconds(-1)).count() == 30);
    BOOST_TEST(parse({"--idle-timeout", "86400"}).idle_timeout.value_or(std::chrono::seconds(-1)).count() == 86400);
    BOOST_TEST(parse_error({"--idle-timeout=1.5"}) == "invalid value '1.5' for --idle-timeout (seconds, 0 to 86400)");
    BOOST_TEST(parse_error({"--idle-timeout=+3"}) == "invalid value '+3' for --idle-timeout (seconds, 0 to 86400)");
}

BOOST_AUTO_TEST_CASE(provider_option_repeats)
{
    BOOST_TEST(parse({}).providers.empty());
    const std::vector<std::string> both{"tpm2", "default"};
    BOOST_TEST(parse({"--provider=tpm2", "--provider", "default"}).providers == both);
}

BOOST_AUTO_TEST_CASE(stdio_and_socket_are_mutually_exclusive)
{
    BOOST_TEST(parse_error({"--stdio", "--socket=/run/S.lacme"}) == "--stdio and --socket are mutually exclusive");
    BOOST_TEST(parse_error({"--socket", "/run/S.lacme", "--stdio"}) == "--stdio and --socket are mutually exclusive");
}

BOOST_AUTO_TEST_CASE(authorized_keys_line_options)
{
    const settings s = parse({"--authorized-keys-line", "--policy=/p", "--from=192.0.2.0/24", "web1.pub"});
    BOOST_TEST(s.authorized_keys_line);
    BOOST_TEST(s.policy.value_or("") == "/p");
    BOOST_TEST(s.from.value_or("") == "192.0.2.0/24");
    BOOST_TEST(s.public_key_file.value_or("") == "web1.pub");
    BOOST_TEST(parse_error({"--authorized-keys-line", "--policy=/p"}) ==
               "--authorized-keys-line takes one PUBKEY_FILE");
    BOOST_TEST(parse_error({"--authorized-keys-line", "--policy=/p", "a", "b"}) ==
               "--authorized-keys-line takes one PUBKEY_FILE");
    BOOST_TEST(parse_error({"--authorized-keys-line", "web1.pub"}) ==
               "--authorized-keys-line needs --policy=FILE or --relay=NAME");
    BOOST_TEST(parse_error({"--authorized-keys-line", "--policy=/p", "--relay=web1", "web1.pub"}) ==
               "--authorized-keys-line needs --policy=FILE or --relay=NAME");
    const settings relay = parse({"--authorized-keys-line", "--relay=web1", "web1.pub"});
    BOOST_TEST(relay.relay.value_or("") == "web1");
    BOOST_TEST(parse_error({"--from=192.0.2.1", "--stdio"}) == "--from only goes with --authorized-keys-line");
}

BOOST_AUTO_TEST_CASE(a_failed_parse_leaves_no_state_behind)
{
    // getopt keeps its position inside "-xq" after rejecting 'x'; the next parse must start
    // afresh rather than continue with the 'q' of an earlier argv.
    argv_builder first({"-xq"});
    BOOST_TEST(error_message([&] { (void)parse_command_line(first.argc(), first.argv()); }) == "unknown option -xq");
    argv_builder second({"--stdio"});
    const settings s = parse_command_line(second.argc(), second.argv());
    BOOST_TEST(s.stdio);
    BOOST_TEST(!s.quiet);
}

BOOST_AUTO_TEST_CASE(usage_mentions_the_main_options)
{
    const std::string usage = lacme::accountd::usage_text();
    for (const char* option : {"--config", "--privkey", "--socket", "--stdio", "--quiet", "--debug"})
        BOOST_TEST(usage.find(option) != std::string::npos, option);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(accountd_config_file)

BOOST_AUTO_TEST_CASE(explicit_config_fills_every_setting)
{
    temp_dir dir;
    const std::string path = dir.file("lacme-accountd.conf");
    write_file(path, "# lacme-accountd configuration\n"
                     "privkey = file:/etc/lacme/account.key\n"
                     "gpg = gpg --quiet --no-tty\n"
                     "socket = /run/lacme/S.lacme\n"
                     "logfile = /var/log/lacme-accountd.log\n"
                     "keyid = https://acme.example/acct/1\n"
                     "quiet = Yes\n"
                     "passphrase-file = /etc/lacme/passphrase\n"
                     "pkcs11-module = /usr/lib/softhsm/libsofthsm2.so\n"
                     "pin-file = /etc/lacme/pin\n"
                     "idle-timeout = 60\n"
                     "provider = tpm2  default\n"
                     "pin-state-dir = /var/lib/lacme/pins\n"
                     "allow-final-pin-try = yes\n");
    bool was_read = false;
    const settings s = merged(path, {}, &was_read);
    BOOST_TEST(was_read);
    BOOST_TEST(s.privkey->reveal() == "file:/etc/lacme/account.key");
    BOOST_TEST(s.gpg.value_or("") == "gpg --quiet --no-tty");
    BOOST_TEST(s.socket.value_or("") == "/run/lacme/S.lacme");
    BOOST_TEST(s.logfile.value_or("") == "/var/log/lacme-accountd.log");
    BOOST_TEST(s.keyid.value_or("") == "https://acme.example/acct/1");
    BOOST_TEST(s.quiet);
    BOOST_TEST(s.passphrase_file.value_or("") == "/etc/lacme/passphrase");
    BOOST_TEST(s.pkcs11_module.value_or("") == "/usr/lib/softhsm/libsofthsm2.so");
    BOOST_TEST(s.pin_file.value_or("") == "/etc/lacme/pin");
    BOOST_TEST(s.idle_timeout.value_or(std::chrono::seconds(-1)).count() == 60);
    const std::vector<std::string> providers{"tpm2", "default"};
    BOOST_TEST(s.providers == providers);
    BOOST_TEST(s.pin_state_dir.value_or("") == "/var/lib/lacme/pins");
    BOOST_TEST(s.allow_final_pin_try);
}

BOOST_AUTO_TEST_CASE(pin_options)
{
    const settings none = parse({});
    BOOST_TEST(!none.pin_state_dir.has_value());
    BOOST_TEST(!none.allow_final_pin_try);
    const settings s = parse({"--pin-state-dir=%C/pins", "--allow-final-pin-try"});
    BOOST_TEST(s.pin_state_dir.value_or("") == "%C/pins");
    BOOST_TEST(s.allow_final_pin_try);
}

// Sandboxed unless told otherwise (debugging only).
BOOST_AUTO_TEST_CASE(no_sandbox_option)
{
    BOOST_TEST(!parse({}).no_sandbox);
    BOOST_TEST(parse({"--no-sandbox", "--stdio"}).no_sandbox);
}

BOOST_AUTO_TEST_CASE(command_line_wins_over_the_file)
{
    temp_dir dir;
    const std::string path = dir.file("a.conf");
    write_file(path, "privkey = file:/from/file\nsocket = /from/file.sock\nkeyid = kid-from-file\nprovider = a b\n");
    const settings s = merged(path, [](settings& cli) {
        cli.privkey.emplace(std::string_view("file:/from/cli"));
        cli.socket = "/from/cli.sock";
        cli.providers = {"cli-provider"};
    });
    BOOST_TEST(s.providers == std::vector<std::string>{"cli-provider"});
    BOOST_TEST(s.privkey->reveal() == "file:/from/cli");
    BOOST_TEST(s.socket.value_or("") == "/from/cli.sock");
    BOOST_TEST(s.keyid.value_or("") == "kid-from-file");  // unset on the command line
}

BOOST_AUTO_TEST_CASE(quiet_setting_values)
{
    temp_dir dir;
    const std::string path = dir.file("q.conf");

    write_file(path, "quiet = no\n");
    BOOST_TEST(!merged(path).quiet);
    write_file(path, "quiet = YES\n");
    BOOST_TEST(merged(path).quiet);
    write_file(path, "privkey = file:/k\n");
    BOOST_TEST(!merged(path).quiet);  // absent: not quiet

    // --quiet on the command line is not undone by the file.
    write_file(path, "quiet = No\n");
    BOOST_TEST(merged(path, [](settings& cli) { cli.quiet = true; }).quiet);

    // As lacme 0.8's accountd: anything but Yes is not quiet, with a FILE:LINE warning.
    write_file(path, "quiet = maybe\n");
    const settings maybe = merged(path);
    BOOST_TEST(!maybe.quiet);
    BOOST_REQUIRE_EQUAL(maybe.warnings.size(), 1U);
    BOOST_TEST(maybe.warnings[0] == path + ":1: quiet: 'maybe' is neither Yes nor No: taken as No, as lacme 0.8 does");
    write_file(path, "quiet = No\n");
    BOOST_TEST(merged(path).warnings.empty());
}

BOOST_AUTO_TEST_CASE(idle_timeout_values)
{
    temp_dir dir;
    const std::string path = dir.file("t.conf");
    write_file(path, "idle-timeout = 0\n");
    BOOST_TEST(merged(path).idle_timeout.value_or(std::chrono::seconds(-1)).count() == 0);
    write_file(path, "privkey = file:/k\n");
    BOOST_TEST(!merged(path).idle_timeout);  // absent: the caller's default
    for (const char* bad : {"-1", "5m", "", "86401", "99999999999999999999999"}) {
        BOOST_TEST_CONTEXT(bad)
        {
            write_file(path, std::string("idle-timeout = ") + bad + "\n");
            BOOST_TEST(error_message([&] { (void)merged(path); }) ==
                       "invalid value '" + std::string(bad) + "' for idle-timeout (seconds, 0 to 86400)");
        }
    }
    write_file(path, "idle-timeout = 60\n");  // the command line wins
    const auto seven = [](settings& cli) { cli.idle_timeout = std::chrono::seconds(7); };
    BOOST_TEST(merged(path, seven).idle_timeout.value_or(std::chrono::seconds(-1)).count() == 7);
}

BOOST_AUTO_TEST_CASE(unknown_key_is_an_error_naming_file_and_line)
{
    temp_dir dir;
    const std::string path = dir.file("bad.conf");
    write_file(path, "privkey = file:/k\n\n; comment\nprivkye = file:/typo\n");
    BOOST_TEST(error_message([&] { (void)merged(path); }) == path + ":4: unknown key 'privkye'");
}

BOOST_AUTO_TEST_CASE(sections_are_errors)
{
    temp_dir dir;
    const std::string path = dir.file("bad.conf");
    write_file(path, "privkey = file:/k\n[accountd]\nquiet = Yes\n");
    BOOST_TEST(error_message([&] { (void)merged(path); }) == path + ":2: unknown section [accountd]");
}

BOOST_AUTO_TEST_CASE(relay_options)
{
    const settings s = parse({"--relay=web-1.example", "--relay-socket=/run/r.sock", "--config=/c"});
    BOOST_TEST(s.relay.value_or("") == "web-1.example");
    BOOST_TEST(s.relay_socket.value_or("") == "/run/r.sock");
    BOOST_TEST(parse_error({"--relay=../x"}) == "invalid --relay name '../x' (letters, digits, . _ -, at most 64)");
    BOOST_TEST(parse_error({"--relay=web1", "--stdio"}) ==
               "--relay takes no --stdio, --socket, --policy, --list-keys or --check-policy");
    BOOST_TEST(parse_error({"--relay=web1", "--policy=/p"}) ==
               "--relay takes no --stdio, --socket, --policy, --list-keys or --check-policy");
}

BOOST_AUTO_TEST_CASE(listener_sections)
{
    temp_dir dir;
    const std::string path = dir.file("many.conf");
    write_file(path,
               "privkey = file:/k\nrelay-socket = /run/r.sock\n[listener web2]\npolicy = /p2\nsocket = /run/w2.sock\n"
               "[listener web1]\npolicy = /p1\n");
    const settings s = merged(path);
    BOOST_TEST(s.relay_socket.value_or("") == "/run/r.sock");
    BOOST_REQUIRE(s.listeners.size() == 2u);
    BOOST_TEST(s.listeners[0].name == "web2");  // in the file's order
    BOOST_TEST(s.listeners[0].policy == "/p2");
    BOOST_TEST(s.listeners[0].socket.value_or("") == "/run/w2.sock");
    BOOST_TEST(s.listeners[0].origin == path + ":3");
    BOOST_TEST(s.listeners[1].name == "web1");
    BOOST_TEST(!s.listeners[1].socket);
    BOOST_TEST(lacme::accountd::find_listener(s, "web1").policy == "/p1");
    BOOST_TEST(error_message([&] { (void)lacme::accountd::find_listener(s, "web3"); }) ==
               "no [listener web3] in " + path);

    write_file(path, "privkey = file:/k\n[listener web1]\nsocket = /run/w.sock\n");
    BOOST_TEST(error_message([&] { (void)merged(path); }) == path + ":2: [listener web1] has no policy");
    write_file(path, "privkey = file:/k\n[listener a/b]\npolicy = /p\n");
    BOOST_TEST(error_message([&] { (void)merged(path); }) ==
               path + ":2: invalid listener name 'a/b' (letters, digits, . _ -, at most 64)");
    write_file(path, "privkey = file:/k\n[listener web1]\npolicy = /p\nidentifiers = x\n");
    BOOST_TEST(error_message([&] { (void)merged(path); }) ==
               path + ":4: unknown key 'identifiers' in section [listener web1]");
}

BOOST_AUTO_TEST_CASE(missing_explicit_config_is_an_error)
{
    temp_dir dir;
    BOOST_TEST(error_message([&] { (void)merged(dir.file("absent.conf")); }) ==
               "can't open " + dir.file("absent.conf") + ": No such file or directory");
}

BOOST_AUTO_TEST_CASE(explicit_config_path_is_percent_expanded)
{
    temp_dir dir;
    write_file(dir.file("acc.conf"), "keyid = expanded\n");
    const lacme::test::scoped_env tmpdir("TMPDIR", dir.path().c_str());
    bool was_read = false;
    const settings s = merged("%T/acc.conf", {}, &was_read);
    BOOST_TEST(was_read);
    BOOST_TEST(s.keyid.value_or("") == "expanded");
}

// A non-root accountd started without --config reads its own ~/.config: the error must say which
// file it looked in.
BOOST_AUTO_TEST_CASE(missing_privkey_names_the_config_file_tried)
{
    temp_dir dir;
    const std::string default_file =
        lacme::percent_expander::for_current_process().expand("%E/lacme/lacme-accountd.conf");
    bool read = false;
    BOOST_TEST(error_message([] { require_privkey(settings{}, false); }) ==
               "'privkey' is not specified: no --privkey, and no " + default_file);

    write_file(dir.file("acc.conf"), "keyid = x\n");
    const settings without_key = merged(dir.file("acc.conf"), {}, &read);
    BOOST_TEST(error_message([&] { require_privkey(without_key, read); }) ==
               "'privkey' is not specified in " + dir.file("acc.conf") + " (nor with --privkey)");

    const settings with_key =
        merged(dir.file("acc.conf"), [](settings& s) { s.privkey.emplace(std::string_view("file:/k")); });
    BOOST_CHECK_NO_THROW(require_privkey(with_key, true));
}

BOOST_AUTO_TEST_SUITE_END()
