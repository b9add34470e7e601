// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/dns_records.hpp"

#include "common/accountd_protocol.hpp"
#include "common/error.hpp"
#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

using lacme::client::accountd_connection;
using lacme::client::dns_records;
using lacme::client::run_log;
using lacme::test::error_message;

namespace {

// The master's end of the client's accountd socket: greets, records each line and answers it
// with the next canned answer.
class scripted_master {
public:
    explicit scripted_master(std::vector<std::string> answers)
    {
        int sv[2];
        BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
        client_end_ = lacme::unique_fd(sv[0]);
        lacme::unique_fd theirs(sv[1]);
        const std::string greeting = lacme::format_accountd_greeting(
            {.alg = "ES256", .jwk_thumbprint = "thumb", .kid = "https://ca.test/acct/1", .jwk = {}});
        BOOST_REQUIRE(::write(theirs.get(), greeting.data(), greeting.size()) == static_cast<ssize_t>(greeting.size()));
        thread_ = std::thread([this, fd = std::move(theirs), answers = std::move(answers)] {
            std::string pending;
            std::size_t next = 0;
            char buf[4096];
            ssize_t n;
            while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) {
                pending.append(buf, static_cast<std::size_t>(n));
                for (std::size_t end; (end = pending.find("\r\n")) != std::string::npos;) {
                    lines_.push_back(pending.substr(0, end));
                    pending.erase(0, end + 2);
                    const std::string answer = (next < answers.size() ? answers[next++] : "?") + "\r\n";
                    if (::write(fd.get(), answer.data(), answer.size()) != static_cast<ssize_t>(answer.size()))
                        return;
                }
            }
        });
    }
    ~scripted_master() { join(); }
    scripted_master(const scripted_master&) = delete;
    scripted_master& operator=(const scripted_master&) = delete;

    lacme::unique_fd client_end() { return std::move(client_end_); }
    // The lines received, once the client's end is closed.
    const std::vector<std::string>& lines()
    {
        join();
        return lines_;
    }

private:
    void join()
    {
        if (thread_.joinable())
            thread_.join();
    }
    lacme::unique_fd client_end_;
    std::vector<std::string> lines_;
    std::thread thread_;
};

const std::string value = "sYAwVrqDtVOuJZvAHurSAYPoEt5fFV_C4bdSOOW-o5Y";  // of "tok.thumb"

}  // namespace

BOOST_AUTO_TEST_SUITE(dns_records_suite)

BOOST_AUTO_TEST_CASE(txt_value_is_base64url_sha256_of_the_key_authorization)
{
    BOOST_TEST(lacme::client::dns01_txt_value("tok.thumb") == value);
}

BOOST_AUTO_TEST_CASE(publishes_all_at_once_and_removes_them_at_the_end)
{
    scripted_master master({"dns-01 published", "dns-01 removed"});
    lacme::logger out{lacme::log_level::info};
    run_log log{out};
    {
        accountd_connection connection(master.client_end());
        dns_records records(connection, log);
        BOOST_TEST(records.type() == "dns-01");
        records.stage("example.org", "tok", "tok.thumb");
        records.stage("example.org", "tok", "tok.thumb");  // the wildcard's authorization names the apex
        records.stage("www.example.org", "tok", "tok.thumb");
        records.publish();
    }
    const std::string record = " _acme-challenge.example.org " + value;
    BOOST_TEST(master.lines() == (std::vector<std::string>{
                                     "dns-01 publish" + record + record + " _acme-challenge.www.example.org " + value,
                                     "dns-01 remove" + record + record + " _acme-challenge.www.example.org " + value}));
}

BOOST_AUTO_TEST_CASE(a_failed_publish_throws_the_masters_reason_and_still_removes)
{
    scripted_master master(
        {"dns-01 failed dns-hook add _acme-challenge.example.org exited with value 1", "dns-01 removed"});
    lacme::logger out{lacme::log_level::info};
    run_log log{out};
    {
        accountd_connection connection(master.client_end());
        dns_records records(connection, log);
        records.stage("example.org", "tok", "tok.thumb");
        BOOST_TEST(error_message([&] { records.publish(); }) ==
                   "the master could not publish the dns-01 records: dns-hook add _acme-challenge.example.org exited "
                   "with value 1");
    }
    BOOST_TEST(master.lines().size() == 2u);
    BOOST_TEST(master.lines().at(1).starts_with("dns-01 remove _acme-challenge.example.org"));
}

BOOST_AUTO_TEST_SUITE_END()
