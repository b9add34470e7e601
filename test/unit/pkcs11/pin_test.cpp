// PIN sources (URI pin-value, URI pin-source, pin file, terminal prompt), a wrong PIN reported
// once and never retried, and a missing PIN.
#include "pkcs11/pin_source.hpp"
#include "pkcs11/pkcs11_signer.hpp"
#include "softhsm_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>

#include <thread>

using namespace lacme;
using namespace lacme::pkcs11;
using namespace lacme::pkcs11::test;

namespace {

struct token_with_key {
    softhsm hsm;
    CK_SLOT_ID slot;
    token_with_key() : slot(hsm.init_token("acme"))
    {
        hsm.generate_ec(slot, {"account", {0x02}}, "P-256");
        hsm.release_module();
    }
};

std::string read_available(int fd)
{
    std::string out;
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 200) > 0) {
        char buf[256];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pkcs11_pin, token_with_key)

BOOST_AUTO_TEST_CASE(pin_from_uri_value)
{
    pkcs11_signer signer("pkcs11:token=acme;object=account?pin-value=1234", test_options());
    BOOST_TEST(signer.sign("a.b").size() == 64u);
}

BOOST_AUTO_TEST_CASE(pin_from_uri_source_and_pin_file)
{
    write_file(hsm.dir() / "pin", "1234\n");
    const std::string path = (hsm.dir() / "pin").string();
    {
        pkcs11_signer signer("pkcs11:token=acme;object=account?pin-source=file:" + path, test_options());
        BOOST_TEST(signer.sign("a.b").size() == 64u);
    }
    {
        pkcs11_signer signer("pkcs11:token=acme;object=account?pin-source=" + path, test_options());
        BOOST_TEST(signer.sign("a.b").size() == 64u);
    }
    {
        std::vector<std::string> warnings;
        auto o = test_options();
        o.key.pin_file = path;
        o.key.warn = [&](std::string_view w) { warnings.emplace_back(w); };
        std::filesystem::permissions(path, std::filesystem::perms(0644));
        pkcs11_signer signer("pkcs11:token=acme;object=account", o);
        BOOST_TEST(signer.sign("a.b").size() == 64u);
        BOOST_REQUIRE(warnings.size() == 1u);
        BOOST_TEST(contains(warnings.front(), "readable by group or others"), warnings.front());
        BOOST_TEST(!contains(warnings.front(), "1234"));
    }
    // The URI wins over the pin file.
    write_file(hsm.dir() / "wrong", "9999\n");
    auto o = test_options();
    o.key.pin_file = (hsm.dir() / "wrong").string();
    pkcs11_signer signer("pkcs11:token=acme;object=account?pin-value=1234", o);
    BOOST_TEST(signer.sign("a.b").size() == 64u);
}

BOOST_AUTO_TEST_CASE(pin_file_errors)
{
    auto o = test_options();
    o.key.pin_file = (hsm.dir() / "missing").string();
    BOOST_TEST(contains(error_message([&] { pkcs11_signer("pkcs11:token=acme;object=account", o); }), "PIN file"));
    write_file(hsm.dir() / "empty", "");
    o.key.pin_file = (hsm.dir() / "empty").string();
    BOOST_TEST(contains(error_message([&] { pkcs11_signer("pkcs11:token=acme;object=account", o); }), "is empty"));
    BOOST_TEST(contains(error_message([] { (void)read_pin_source("https://example/pin"); }), "only file:"));
}

BOOST_AUTO_TEST_CASE(no_pin_source_is_a_clear_error)
{
    const auto message = error_message([] { pkcs11_signer("pkcs11:token=acme;object=account", test_options()); });
    BOOST_TEST(contains(message, "needs a PIN"), message);
    BOOST_TEST(contains(message, "pin-source"), message);
}

BOOST_AUTO_TEST_CASE(wrong_pin_reported_once_never_retried)
{
    const auto message = error_message([] { pkcs11_signer("pkcs11:token=acme;object=account?pin-value=0000", test_options()); });
    BOOST_TEST(contains(message, "CKR_PIN_INCORRECT"), message);
    BOOST_TEST(contains(message, "not retried"), message);
    BOOST_TEST(!contains(message, "0000"), message);  // the PIN itself never appears
    BOOST_TEST(!contains(message, "\n"));

    // A PIN that stops working later (changed on the token, then a logout): the re-login fails
    // once and the key refuses every later signature without offering the PIN again.
    pkcs11_signer signer("pkcs11:token=acme;object=account?pin-value=1234", test_options());
    BOOST_TEST(signer.sign("a.b").size() == 64u);
    module other(softhsm_module);
    {
        admin_session s(other, signer.key().slot());
        const std::string new_pin = "5678";
        check(s.fn->C_SetPIN(s.h, utf8(user_pin), user_pin.size(), utf8(new_pin), new_pin.size()), "C_SetPIN");
    }
    check(other.functions()->C_CloseAllSessions(signer.key().slot()), "C_CloseAllSessions");
    const auto first = error_message([&] { (void)signer.sign("a.b"); });
    BOOST_TEST(contains(first, "CKR_PIN_INCORRECT"), first);
    const auto reconnects = signer.key().reconnects();
    const auto second = error_message([&] { (void)signer.sign("a.b"); });
    BOOST_TEST(contains(second, "CKR_PIN_INCORRECT"), second);
    BOOST_TEST(signer.key().reconnects() == reconnects);  // no new login attempt
}

BOOST_AUTO_TEST_CASE(prompt_reads_without_echo)
{
    int master = -1, slave = -1;
    BOOST_REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
    std::thread typist([master] {
        // Type once the prompt is there, as a user would.
        std::string seen;
        while (!contains(seen, "PIN: "))
            seen += read_available(master);
        BOOST_TEST(::write(master, "1234\n", 5) == 5);
    });
    const locked_pin pin = prompt_pin(slave, "PIN: ");
    typist.join();
    BOOST_TEST(pin.secret().reveal() == "1234");
    // Echo was off while typing (only the newline echoes), and is back on afterwards.
    const std::string echoed = read_available(master);
    BOOST_TEST(!contains(echoed, "1234"), echoed);
    termios t{};
    BOOST_REQUIRE(::tcgetattr(slave, &t) == 0);
    BOOST_TEST((t.c_lflag & ECHO) != 0u);
    ::close(slave);
    ::close(master);
}

BOOST_AUTO_TEST_CASE(prompt_end_of_input_is_an_error)
{
    int master = -1, slave = -1;
    BOOST_REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
    // ^D at the start of a line (EOF), typed after the prompt: input typed before it is
    // discarded when echo is turned off (TCSAFLUSH), as getpass does.
    std::thread typist([master] {
        std::string seen;
        while (!contains(seen, "PIN: "))
            seen += read_available(master);
        BOOST_TEST(::write(master, "\x04", 1) == 1);
    });
    const auto message = error_message([&] { (void)prompt_pin(slave, "PIN: "); });
    typist.join();
    BOOST_TEST(contains(message, "no PIN entered"), message);
    ::close(slave);
    ::close(master);
}

BOOST_AUTO_TEST_SUITE_END()
