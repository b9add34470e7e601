// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/line_buffer.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using lacme::line_buffer;

namespace {

std::vector<std::string> drain(line_buffer& buffer)
{
    std::vector<std::string> lines;
    while (auto line = buffer.next()) {
        BOOST_TEST(!line->bare_newline);
        lines.push_back(line->text);
    }
    return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(line_buffering)

BOOST_AUTO_TEST_CASE(splits_crlf_lines_and_strips_the_terminator)
{
    line_buffer buffer(100);
    BOOST_TEST(buffer.empty());
    buffer.append("first\r\nsecond\r\n\r\nfourth\r\n");
    BOOST_TEST(drain(buffer) == (std::vector<std::string>{"first", "second", "", "fourth"}));
    BOOST_TEST(!buffer.next());
    BOOST_TEST(buffer.empty());
}

BOOST_AUTO_TEST_CASE(keeps_a_partial_line_until_its_end_arrives)
{
    line_buffer buffer(100);
    buffer.append("complete\r\npart");
    BOOST_TEST(drain(buffer) == std::vector<std::string>{"complete"});
    BOOST_TEST(!buffer.empty());
    buffer.append("ial");
    BOOST_TEST(!buffer.next());
    buffer.append("\r");  // CR without LF yet: not a line end
    BOOST_TEST(!buffer.next());
    buffer.append("\n");
    BOOST_TEST(drain(buffer) == std::vector<std::string>{"partial"});
    BOOST_TEST(buffer.empty());
}

BOOST_AUTO_TEST_CASE(byte_by_byte_appends_give_the_same_lines)
{
    const std::string stream = "eyJhbGciOiJFUzI1NiJ9.e30\r\nabc.\r\n.x\r\n";
    line_buffer buffer(100);
    std::vector<std::string> lines;
    for (char c : stream) {
        buffer.append(std::string_view(&c, 1));
        auto more = drain(buffer);
        lines.insert(lines.end(), more.begin(), more.end());
    }
    BOOST_TEST(lines == (std::vector<std::string>{"eyJhbGciOiJFUzI1NiJ9.e30", "abc.", ".x"}));
    BOOST_TEST(buffer.empty());
}

BOOST_AUTO_TEST_CASE(many_lines_in_uneven_chunks_survive_compaction)
{
    std::string stream;
    std::vector<std::string> expected;
    for (int i = 0; i < 2000; ++i) {
        expected.push_back("line-" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 37), 'x'));
        stream += expected.back() + "\r\n";
    }
    line_buffer buffer(100);
    std::vector<std::string> lines;
    for (std::size_t pos = 0, chunk = 1; pos < stream.size(); pos += chunk, chunk = chunk % 53 + 7) {
        buffer.append(std::string_view(stream).substr(pos, chunk));
        BOOST_TEST(!buffer.overflowed());
        auto more = drain(buffer);
        lines.insert(lines.end(), more.begin(), more.end());
    }
    BOOST_TEST(lines == expected);
    BOOST_TEST(buffer.empty());
}

BOOST_AUTO_TEST_CASE(bare_lf_is_flagged)
{
    line_buffer buffer(100);
    buffer.append("unix line\nok\r\n\n");
    auto line = buffer.next();
    BOOST_REQUIRE(line);
    BOOST_TEST(line->text == "unix line");
    BOOST_TEST(line->bare_newline);
    line = buffer.next();
    BOOST_REQUIRE(line);
    BOOST_TEST(line->text == "ok");
    BOOST_TEST(!line->bare_newline);
    line = buffer.next();
    BOOST_REQUIRE(line);
    BOOST_TEST(line->text == "");
    BOOST_TEST(line->bare_newline);
    BOOST_TEST(!buffer.next());
}

BOOST_AUTO_TEST_CASE(carriage_return_inside_a_line_is_kept)
{
    line_buffer buffer(100);
    buffer.append("a\rb\r\r\n");
    auto line = buffer.next();
    BOOST_REQUIRE(line);
    BOOST_TEST(line->text == "a\rb\r");
    BOOST_TEST(!line->bare_newline);
}

BOOST_AUTO_TEST_CASE(partial_line_longer_than_the_cap_overflows)
{
    line_buffer buffer(8);
    buffer.append("12345678\r");  // at the cap, terminator on its way
    BOOST_TEST(!buffer.overflowed());
    buffer.append("\n");
    BOOST_TEST(!buffer.overflowed());
    BOOST_TEST(drain(buffer) == std::vector<std::string>{"12345678"});

    buffer.append("1234567890");  // max + 2 bytes, still possibly "12345678\r\n"-sized
    BOOST_TEST(!buffer.overflowed());
    buffer.append("1");
    BOOST_TEST(buffer.overflowed());
    BOOST_TEST(!buffer.next());
}

BOOST_AUTO_TEST_CASE(overflow_counts_only_the_unconsumed_partial_line)
{
    line_buffer buffer(8);
    buffer.append("1234567\r\nabcdefgh");
    BOOST_TEST(!buffer.overflowed());  // 17 bytes buffered, but the first line is complete
    BOOST_TEST(drain(buffer) == std::vector<std::string>{"1234567"});
    BOOST_TEST(!buffer.overflowed());
    buffer.append("xyz");
    BOOST_TEST(buffer.overflowed());
}

BOOST_AUTO_TEST_CASE(a_complete_overlong_line_is_returned_for_the_caller_to_refuse)
{
    // overflowed() is about unbounded buffering; a complete line is handed out with its full
    // length so the caller (the connection) can refuse it by size.
    line_buffer buffer(4);
    buffer.append("0123456789\r\n");
    BOOST_TEST(!buffer.overflowed());
    auto line = buffer.next();
    BOOST_REQUIRE(line);
    BOOST_TEST(line->text.size() == 10u);
}

BOOST_AUTO_TEST_SUITE_END()
