// SPDX-License-Identifier: GPL-3.0-or-later
// The install journal's text, read without a file (the crash and recovery themselves are in
// install_crash_safety_test.cpp).
#include "master/install_journal.hpp"

#include "common/error.hpp"
#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace lacme::master;

namespace {

const std::vector<std::string> targets{"/etc/ssl/a.pem", "/etc/ssl/b.pem"};
const std::string journal = "/etc/ssl/.a.pem.lacme-install";

}  // namespace

BOOST_AUTO_TEST_SUITE(master_install_journal)

BOOST_AUTO_TEST_CASE(what_is_written_reads_back)
{
    const std::vector<journal_rename> renames{{"/etc/ssl/.a.pem.lacme-tmp.AbC123", "/etc/ssl/a.pem"},
                                              {"/etc/ssl/.b.pem.lacme-tmp.x9Y8z7", "/etc/ssl/b.pem"}};
    BOOST_TEST((parse_install_journal(install_journal_text(renames), journal, targets) == renames));
    BOOST_TEST(parse_install_journal("[]", journal, targets).empty());
}

// Found by fuzz_install_journal: a temporary name with NUL bytes (or anything but mkostemp's
// letters and digits) passed, and rename() would have used the name cut at the NUL.
BOOST_AUTO_TEST_CASE(only_names_staged_file_gives_are_renamed)
{
    for (const char* suffix : {R"(\u0000\u0000\u0000\u0000\u0000\u0000)", R"(AbC\u0000xy)", "......", "ab cd!"}) {
        const std::string text =
            std::string(R"([{"from":"/etc/ssl/.a.pem.lacme-tmp.)") + suffix + R"(","to":"/etc/ssl/a.pem"}])";
        BOOST_CHECK_THROW(parse_install_journal(text, journal, targets), lacme::error);
    }
}

// An error quoting a corrupted journal is still one printable line.
BOOST_AUTO_TEST_CASE(errors_quote_the_journal_printably)
{
    const std::string message = lacme::test::error_message(
        [] { (void)parse_install_journal(R"([{"from":"/x\ny","to":"/etc/ssl/a.pem"}])", journal, targets); });
    BOOST_TEST(message == R"(/etc/ssl/.a.pem.lacme-install: unexpected rename /x\x0ay -> /etc/ssl/a.pem)");
}

BOOST_AUTO_TEST_SUITE_END()
