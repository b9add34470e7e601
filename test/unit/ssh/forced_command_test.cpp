// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssh/forced_command.hpp"

#include <boost/test/unit_test.hpp>

using lacme::ssh::ignored_command_note;

BOOST_AUTO_TEST_SUITE(forced_command)

BOOST_AUTO_TEST_CASE(note_names_the_ignored_command_printably)
{
    BOOST_TEST(!ignored_command_note(std::nullopt));
    BOOST_TEST(ignored_command_note("lacme-accountd --policy=/dev/null").value_or("") ==
               "Forced command: ignoring the command the SSH client asked for (\"lacme-accountd --policy=/dev/null\")");
    BOOST_TEST(ignored_command_note("x\nNOSIGN forged").value_or("") ==
               "Forced command: ignoring the command the SSH client asked for (\"x\\x0aNOSIGN forged\")");
}

BOOST_AUTO_TEST_SUITE_END()
