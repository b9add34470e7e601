// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/fd_io.hpp"

#include "common/fd_pair.hpp"
#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <cstddef>
#include <string>
#include <thread>

using lacme::make_pipe;
using lacme::make_socket_pair;
using lacme::read_file_if_present;
using lacme::read_to_end;
using lacme::write_all;
using lacme::write_all_unless_closed;
using lacme::test::error_message;
using lacme::test::temp_dir;
using lacme::test::write_file;

BOOST_AUTO_TEST_SUITE(fd_io)

// More than a pipe's 64 KiB buffer: write(2) returns short counts and the loop must go on.
BOOST_AUTO_TEST_CASE(write_all_writes_everything_through_short_writes)
{
    auto [read_end, write_end] = make_pipe();
    std::string data(1 << 20, '\0');
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>(i * 7);
    std::string received;
    std::thread reader([&, fd = read_end.get()] { received = read_to_end(fd, data.size(), "the pipe"); });
    write_all(write_end.get(), data, "the pipe");
    write_end.reset();
    reader.join();
    BOOST_TEST((received == data));
}

BOOST_AUTO_TEST_CASE(write_all_takes_bytes)
{
    auto [read_end, write_end] = make_pipe();
    const std::byte bytes[] = {std::byte{0}, std::byte{0xff}, std::byte{'a'}};
    write_all(write_end.get(), bytes);
    write_end.reset();
    BOOST_TEST(read_to_end(read_end.get(), 16, "the pipe") == std::string("\0\xff"
                                                                          "a",
                                                                          3));
}

BOOST_AUTO_TEST_CASE(write_all_failure_names_the_destination)
{
    auto [read_end, write_end] = make_pipe();
    read_end.reset();
    const auto previous = ::signal(SIGPIPE, SIG_IGN);
    // Named captures: clang 14 (the ASan tree's compiler) cannot capture structured bindings.
    const std::string message = error_message([&fd = write_end] { write_all(fd.get(), "x", "the pipe"); });
    ::signal(SIGPIPE, previous);
    BOOST_TEST(message == "can't write the pipe: Broken pipe");
}

// A peer that closed the connection is an answer, not an error (and no SIGPIPE).
BOOST_AUTO_TEST_CASE(write_all_unless_closed_returns_false_for_a_closed_peer)
{
    auto sockets = make_socket_pair();
    BOOST_TEST(write_all_unless_closed(sockets.ours.get(), "header", "the socket"));
    sockets.theirs.reset();
    BOOST_TEST(!write_all_unless_closed(sockets.ours.get(), "header", "the socket"));
}

BOOST_AUTO_TEST_CASE(read_to_end_refuses_more_than_the_cap)
{
    auto [read_end, write_end] = make_pipe();
    write_all(write_end.get(), "12345");
    write_end.reset();
    BOOST_TEST(error_message([&fd = read_end] { read_to_end(fd.get(), 4, "the input"); }) ==
               "the input is larger than 4 bytes");
}

BOOST_AUTO_TEST_CASE(read_to_end_accepts_exactly_the_cap)
{
    auto [read_end, write_end] = make_pipe();
    write_all(write_end.get(), "1234");
    write_end.reset();
    BOOST_TEST(read_to_end(read_end.get(), 4, "the input", true) == "1234");
}

BOOST_AUTO_TEST_CASE(read_file_if_present_absent_symlink_and_cap)
{
    temp_dir dir;
    BOOST_TEST(!read_file_if_present(dir.file("missing"), 16).has_value());
    write_file(dir.file("state"), "one\n");
    BOOST_TEST(read_file_if_present(dir.file("state"), 16).value_or("") == "one\n");
    std::filesystem::create_symlink(dir.file("state"), dir.file("link"));
    BOOST_TEST(error_message([&] {
                   (void)read_file_if_present(dir.file("link"), 16);
               }).starts_with("can't open " + dir.file("link") + ": "));
    BOOST_TEST(!error_message([&] { (void)read_file_if_present(dir.file("state"), 2); }).empty());
}

BOOST_AUTO_TEST_CASE(read_line_returns_lines_then_says_why_it_stopped)
{
    auto [read_end, write_end] = make_pipe();
    write_all(write_end.get(), "one\r\ntwo\npartial", "the pipe");
    write_end.reset();
    lacme::line_buffer lines(64);
    const auto one = lacme::read_line(read_end.get(), lines, "read");
    BOOST_TEST((one && one->text == "one" && !one->bare_newline));
    const auto two = lacme::read_line(read_end.get(), lines, "read");
    BOOST_TEST((two && two->text == "two" && two->bare_newline));
    BOOST_TEST(!lacme::read_line(read_end.get(), lines, "read"));  // the end of input
    BOOST_TEST(!lines.empty());  // with "partial" left
    BOOST_TEST(!lines.overflowed());
}

BOOST_AUTO_TEST_CASE(read_line_stops_at_an_overlong_line_without_reading_to_the_end)
{
    auto [read_end, write_end] = make_pipe();
    write_all(write_end.get(), std::string(100, 'x'), "the pipe");  // the writer stays open
    lacme::line_buffer lines(16);
    BOOST_TEST(!lacme::read_line(read_end.get(), lines, "read"));
    BOOST_TEST(lines.overflowed());
}

BOOST_AUTO_TEST_CASE(read_line_names_a_read_error)
{
    lacme::line_buffer lines(16);
    BOOST_TEST(error_message([&] { (void)lacme::read_line(-1, lines, "read from the test"); }) ==
               "read from the test: Bad file descriptor");
}

BOOST_AUTO_TEST_SUITE_END()
