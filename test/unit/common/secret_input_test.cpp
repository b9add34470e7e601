// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/secret_input.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

using lacme::prompt_secret;
using lacme::read_secret_file;
using lacme::test::error_message;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

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

// A pseudo-terminal whose master side types `answer` once the prompt has appeared, as a user would.
struct typed_terminal {
    int master = -1;
    int slave = -1;
    std::thread typist;
    explicit typed_terminal(std::string answer)
    {
        BOOST_REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
        typist = std::thread([this, answer] {
            std::string seen;
            while (seen.find("Secret: ") == std::string::npos)
                seen += read_available(master);
            BOOST_TEST(::write(master, answer.data(), answer.size()) == static_cast<ssize_t>(answer.size()));
        });
    }
    ~typed_terminal()
    {
        if (typist.joinable())
            typist.join();
        ::close(slave);
        ::close(master);
    }
    typed_terminal(const typed_terminal&) = delete;
    typed_terminal& operator=(const typed_terminal&) = delete;
};

// The VmFlags line of the mapping holding address (smaps lists "lo" for locked, "dd" for not dumped).
std::string vm_flags_of(const void* address)
{
    const auto a = reinterpret_cast<std::uintptr_t>(address);
    std::ifstream smaps("/proc/self/smaps");
    bool inside = false;
    for (std::string line; std::getline(smaps, line);) {
        std::uintptr_t begin = 0, end = 0;
        char dash = 0;
        std::istringstream range(line);
        if (range >> std::hex >> begin >> dash >> end && dash == '-')
            inside = begin <= a && a < end;
        else if (inside && line.starts_with("VmFlags:"))
            return line;
    }
    return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(secret_input)

BOOST_AUTO_TEST_CASE(reads_first_line_without_line_end)
{
    temp_dir dir;
    const std::string path = dir.file("passphrase");
    write_file(path, "correct horse\r\n");
    BOOST_TEST(read_secret_file(path).reveal() == "correct horse");
    write_file(path, "battery staple\n");
    BOOST_TEST(read_secret_file(path).reveal() == "battery staple");
    write_file(path, "no newline");
    BOOST_TEST(read_secret_file(path).reveal() == "no newline");
    write_file(path, "first\nsecond\n");
    BOOST_TEST(read_secret_file(path).reveal() == "first");
}

BOOST_AUTO_TEST_CASE(keeps_inner_blanks_and_strips_only_one_cr)
{
    temp_dir dir;
    const std::string path = dir.file("pin");
    write_file(path, "  12 34  \r\n");
    BOOST_TEST(read_secret_file(path).reveal() == "  12 34  ");
    write_file(path, "ab\r\r\n");
    BOOST_TEST(read_secret_file(path).reveal() == "ab\r");
}

BOOST_AUTO_TEST_CASE(empty_file_gives_an_empty_secret)
{
    temp_dir dir;
    const std::string path = dir.file("empty");
    write_file(path, "");
    BOOST_TEST(read_secret_file(path).empty());
    write_file(path, "\r\n");
    BOOST_TEST(read_secret_file(path).empty());
}

BOOST_AUTO_TEST_CASE(missing_file_is_an_error_naming_it)
{
    temp_dir dir;
    const std::string path = dir.file("absent");
    BOOST_TEST(error_message([&] { (void)read_secret_file(path); }) ==
               "can't open " + path + ": No such file or directory");
}

BOOST_AUTO_TEST_CASE(overlong_line_is_refused_without_quoting_it)
{
    temp_dir dir;
    const std::string path = dir.file("long");
    write_file(path, std::string(5000, 'S') + "\n");
    const std::string message = error_message([&] { (void)read_secret_file(path); });
    BOOST_TEST(message == path + ": line too long");
    BOOST_TEST(message.find("SSSS") == std::string::npos);
    write_file(path, std::string(4095, 'S') + "\n");  // the longest accepted line
    BOOST_TEST(read_secret_file(path).reveal().size() == 4095u);
}

BOOST_AUTO_TEST_CASE(secret_string_moves_and_wipes)
{
    lacme::secret_string a(std::string("s3cret"));
    lacme::secret_string b(std::move(a));
    BOOST_TEST(b.reveal() == "s3cret");
    BOOST_TEST(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
    b.wipe();
    BOOST_TEST(b.empty());
}

BOOST_AUTO_TEST_CASE(prompt_reads_without_echo)
{
    typed_terminal tty("1234\n");
    const auto secret = prompt_secret(tty.slave, "Secret: ");
    tty.typist.join();
    BOOST_TEST(secret.reveal() == "1234");
    // Echo was off while typing (only the newline echoes), and is back on afterwards.
    const std::string echoed = read_available(tty.master);
    BOOST_TEST(echoed.find("1234") == std::string::npos, echoed);
    termios t{};
    BOOST_REQUIRE(::tcgetattr(tty.slave, &t) == 0);
    BOOST_TEST((t.c_lflag & ECHO) != 0u);
}

BOOST_AUTO_TEST_CASE(prompt_end_of_input_is_an_error)
{
    // ^D at the start of a line (EOF), typed after the prompt: input typed before it is
    // discarded when echo is turned off (TCSAFLUSH), as getpass does.
    typed_terminal tty("\x04");
    const auto message = error_message([&] { (void)prompt_secret(tty.slave, "Secret: "); });
    BOOST_TEST(message == "nothing entered (end of input on the terminal)");
}

BOOST_AUTO_TEST_CASE(secret_string_holds_exactly_its_capacity)
{
    auto s = lacme::secret_string::with_capacity(3);
    BOOST_TEST((s.push_back('a') && s.push_back('b') && s.push_back('c')));
    BOOST_TEST(!s.push_back('d'));  // whatever room the page has left
    BOOST_TEST(s.reveal() == "abc");
    BOOST_TEST(std::string(s.c_str()) == "abc");
    s.pop_back();
    BOOST_TEST(s.reveal() == "ab");
}

BOOST_AUTO_TEST_CASE(secrets_live_in_locked_memory_left_out_of_core_dumps)
{
    temp_dir dir;
    const std::string path = dir.file("pin");
    write_file(path, "1234\n");
    for (const auto& secret : {read_secret_file(path), lacme::secret_string(std::string_view("s3cret"))}) {
        const std::string flags = vm_flags_of(secret.reveal().data());
        BOOST_TEST(flags.find(" dd") != std::string::npos, flags);
#ifndef LACME_SANITIZE  // AddressSanitizer turns mlock into a no-op
        BOOST_TEST(flags.find(" lo") != std::string::npos, flags);  // RLIMIT_MEMLOCK allows a page
#endif
    }
}

BOOST_AUTO_TEST_SUITE_END()
