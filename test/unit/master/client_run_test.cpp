// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_run.hpp"

#include "common/ignore_sigpipe.hpp"
#include "test/support/temp_dir.hpp"
#include "common/uv/loop.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>

using lacme::master::child_role;
using lacme::master::client_invocation;
using lacme::master::client_result;
using lacme::master::client_run;
using lacme::test::temp_dir;
using lacme::test::write_file;
namespace utf = boost::unit_test;

namespace {

// Runs one client (the shell script `body`) to its end on a loop of its own.
client_result run_client(const temp_dir& dir, const std::string& body, client_invocation invocation)
{
    write_file(dir.file("client"), body);
    child_role role;
    role.command = {"/bin/sh", dir.file("client")};
    lacme::uv::loop loop;
    std::optional<client_result> result;
    std::optional<client_run> run;
    run.emplace(loop.get(), role, nullptr, std::move(invocation), false, [&](client_result r) {
        result = std::move(r);
        run.reset();  // as the section runner does, from the callback
    });
    loop.run();
    if (!result)
        throw std::runtime_error("the client's callback never ran");
    return *result;
}

client_invocation renewal_info()
{
    client_invocation invocation;
    invocation.command = "renewal-info";
    invocation.signs = false;
    return invocation;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(master_client_run)

// lacme 0.8's interface: COMMAND CONFIG_FD SOCKET_FD ARGS, the JSON config on fd 3, the input on
// stdin, stdout captured, run in the given directory; without a relay fd 4 is /dev/null.
BOOST_AUTO_TEST_CASE(the_client_gets_its_command_config_input_and_directory, *utf::timeout(30))
{
    const temp_dir dir;
    auto invocation = renewal_info();
    invocation.command = "newOrder";
    invocation.arguments = {"a.example", "b.example"};
    invocation.config = {{"server", "https://ca.example/dir"}};
    invocation.input = std::string("CSR\0bytes", 9);
    invocation.directory = dir.path();
    const auto before = std::chrono::system_clock::now();
    const client_result r = run_client(dir,
                                       "printf '%s|' \"$@\"; cat <&3; printf '|'; cat; printf '|'; pwd\n"
                                       "[ \"$(readlink /proc/self/fd/4)\" = /dev/null ] && echo socket-is-dev-null\n",
                                       std::move(invocation));
    BOOST_TEST(!r.failure.has_value());
    BOOST_TEST(r.output == "newOrder|3|4|a.example|b.example|{\"server\":\"https://ca.example/dir\"}|" +
                               std::string("CSR\0bytes", 9) + "|" + dir.path() + "\nsocket-is-dev-null\n");
    BOOST_TEST((r.started >= before));
}

BOOST_AUTO_TEST_CASE(a_non_zero_exit_is_the_failure_and_the_output_is_kept, *utf::timeout(30))
{
    const temp_dir dir;
    const client_result r = run_client(dir, "echo partial; exit 3\n", renewal_info());
    BOOST_TEST(r.failure.value_or("") == "client exited with value 3");
    BOOST_TEST(r.output == "partial\n");
}

BOOST_AUTO_TEST_CASE(a_client_killed_by_a_signal_fails, *utf::timeout(30))
{
    const temp_dir dir;
    const client_result r = run_client(dir, "kill -KILL $$\n", renewal_info());
    BOOST_TEST(r.failure.value_or("") == "client killed by signal 9");
}

BOOST_AUTO_TEST_CASE(output_beyond_the_cap_kills_the_client, *utf::timeout(30))
{
    const temp_dir dir;
    const client_result r = run_client(
        dir, "head -c " + std::to_string(client_run::output_cap + 1) + " /dev/zero; sleep 30\n", renewal_info());
    BOOST_TEST(r.failure.value_or("") == "client output exceeds " + std::to_string(client_run::output_cap) + " bytes");
}

// A client that exits before reading its input reports its own error; the master does not hang
// or die of SIGPIPE on the input it could not deliver.
BOOST_AUTO_TEST_CASE(a_client_that_never_reads_its_input_just_ends, *utf::timeout(30))
{
    lacme::ignore_sigpipe();  // as master_loop does
    const temp_dir dir;
    auto invocation = renewal_info();
    invocation.input = std::string(4 * 1024 * 1024, 'x');
    const client_result r = run_client(dir, "echo not reading; exit 1\n", std::move(invocation));
    BOOST_TEST(r.failure.value_or("") == "client exited with value 1");
    BOOST_TEST(r.output == "not reading\n");
}

BOOST_AUTO_TEST_SUITE_END()
