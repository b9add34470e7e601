// SPDX-License-Identifier: GPL-3.0-or-later
// The group commit of the audit log: the state machine alone (no threads, no I/O), then
// group_committer driven by threads with a fake sync that checks what each sync covers.
#include "accountd/policy/group_commit.hpp"
#include "accountd/policy/group_committer.hpp"

#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using lacme::accountd::group_commit;
using lacme::accountd::group_committer;
using step = group_commit::step;

namespace boost::test_tools::tt_detail {
template <>
struct print_log_value<step> {
    void operator()(std::ostream& out, step s) { out << static_cast<int>(s); }
};
}  // namespace boost::test_tools::tt_detail

BOOST_AUTO_TEST_SUITE(group_commit_suite)

BOOST_AUTO_TEST_CASE(records_written_during_a_sync_share_the_next_one)
{
    group_commit commits(1);
    const auto first = commits.written();
    BOOST_TEST(commits.next_step(first) == step::sync);
    const auto sync1 = commits.start_sync();
    BOOST_TEST(sync1.covers == first);
    BOOST_TEST(commits.next_step(first) == step::wait);  // covered by the sync in flight
    const auto a = commits.written();
    const auto b = commits.written();
    const auto c = commits.written();
    for (auto r : {a, b, c})
        BOOST_TEST(commits.next_step(r) == step::wait);  // the only slot is busy
    commits.end_sync(sync1, true);
    BOOST_TEST(commits.next_step(first) == step::done);
    BOOST_TEST(commits.next_step(a) == step::sync);
    const auto sync2 = commits.start_sync();
    BOOST_TEST(sync2.covers == c);  // one sync for the three
    for (auto r : {a, b, c})
        BOOST_TEST(commits.next_step(r) == step::wait);
    commits.end_sync(sync2, true);
    for (auto r : {a, b, c})
        BOOST_TEST(commits.next_step(r) == step::done);
    BOOST_TEST(commits.syncs_in_flight() == 0u);
}

BOOST_AUTO_TEST_CASE(a_record_written_after_a_sync_started_is_not_durable_when_it_ends)
{
    group_commit commits(2);
    const auto first = commits.written();
    const auto sync1 = commits.start_sync();
    const auto late = commits.written();
    BOOST_TEST(commits.next_step(late) == step::sync);  // a second slot is free
    const auto sync2 = commits.start_sync();
    BOOST_TEST(sync2.slot != sync1.slot);
    commits.end_sync(sync1, true);
    BOOST_TEST(commits.next_step(first) == step::done);
    BOOST_TEST(commits.next_step(late) == step::wait);
    commits.end_sync(sync2, true);
    BOOST_TEST(commits.next_step(late) == step::done);
}

BOOST_AUTO_TEST_CASE(a_later_sync_ending_first_covers_the_earlier_records)
{
    group_commit commits(2);
    const auto first = commits.written();
    const auto sync1 = commits.start_sync();
    const auto second = commits.written();
    const auto sync2 = commits.start_sync();
    commits.end_sync(sync2, true);
    BOOST_TEST(commits.next_step(first) == step::done);
    BOOST_TEST(commits.next_step(second) == step::done);
    commits.end_sync(sync1, true);
    BOOST_TEST(commits.durable() == second);
}

BOOST_AUTO_TEST_CASE(no_more_syncs_than_slots)
{
    group_commit commits(2);
    (void)commits.written();
    const auto s1 = commits.start_sync();
    const auto r2 = commits.written();
    const auto s2 = commits.start_sync();
    const auto r3 = commits.written();
    BOOST_TEST(commits.next_step(r3) == step::wait);
    BOOST_CHECK_THROW((void)commits.start_sync(), std::logic_error);
    commits.end_sync(s1, true);
    BOOST_TEST(commits.next_step(r2) == step::wait);  // s2 covers it
    BOOST_TEST(commits.next_step(r3) == step::sync);
    commits.end_sync(s2, true);
}

// A failed sync: its pages are not written again, so no later sync proves them durable.
BOOST_AUTO_TEST_CASE(a_failed_sync_breaks_the_log_for_every_record_not_yet_durable)
{
    group_commit commits(2);
    const auto ok = commits.written();
    const auto s0 = commits.start_sync();
    commits.end_sync(s0, true);
    const auto lost = commits.written();
    const auto s1 = commits.start_sync();
    const auto later = commits.written();
    const auto s2 = commits.start_sync();
    commits.end_sync(s1, false);
    commits.end_sync(s2, true);  // ends after the failure: proves nothing
    BOOST_TEST(commits.broken());
    BOOST_TEST(commits.next_step(ok) == step::done);
    BOOST_TEST(commits.next_step(lost) == step::failed);
    BOOST_TEST(commits.next_step(later) == step::failed);
    BOOST_TEST(commits.next_step(commits.written()) == step::failed);
}

BOOST_AUTO_TEST_CASE(a_torn_write_breaks_the_log)
{
    group_commit commits(1);
    const auto r = commits.written();
    commits.break_log();
    BOOST_TEST(commits.next_step(r) == step::failed);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(group_committer_suite)

// Threads append and await like the connections' pool jobs; the fake sync records, at its
// start, how many records were written, and makes them durable only when it returns.
struct fake_disk {
    std::atomic<std::uint64_t> written{0};
    std::atomic<std::uint64_t> on_disk{0};
    std::atomic<int> syncs{0};
    std::atomic<int> in_flight{0};
    std::atomic<int> most_in_flight{0};

    void sync()
    {
        const auto covers = written.load();
        const int now = ++in_flight;
        for (int seen = most_in_flight.load(); now > seen && !most_in_flight.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        for (auto seen = on_disk.load(); covers > seen && !on_disk.compare_exchange_weak(seen, covers);) {
        }
        --in_flight;
        ++syncs;
    }
};

BOOST_AUTO_TEST_CASE(every_awaited_record_is_on_disk_and_syncs_are_shared)
{
    fake_disk disk;
    group_committer committer(2, [&](std::size_t) { disk.sync(); });
    constexpr int threads = 8;
    constexpr int each = 40;
    std::atomic<int> early{0};
    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t)
        writers.emplace_back([&] {
            for (int i = 0; i < each; ++i) {
                std::uint64_t mine = 0;
                const auto record = committer.append([&] { mine = ++disk.written; });
                committer.await(record);
                if (disk.on_disk.load() < mine)
                    ++early;
            }
        });
    for (auto& w : writers)
        w.join();
    BOOST_TEST(early.load() == 0);
    BOOST_TEST(disk.most_in_flight.load() <= 2);
    // 8 writers, 2 ms syncs: most records share a sync.
    BOOST_TEST(disk.syncs.load() < threads * each / 2, disk.syncs.load() << " syncs");
}

BOOST_AUTO_TEST_CASE(a_failed_sync_fails_its_waiters_and_every_later_record)
{
    std::atomic<bool> fail{false};
    group_committer committer(1, [&](std::size_t) {
        if (fail)
            throw lacme::error("can't sync audit log x: Input/output error");
    });
    committer.await(committer.append([] {}));
    fail = true;
    const auto lost = committer.append([] {});
    BOOST_TEST(lacme::test::error_message([&] { committer.await(lost); }).find("Input/output error") !=
               std::string::npos);
    fail = false;
    BOOST_TEST(lacme::test::error_message([&] { (void)committer.append([] {}); }).find("unusable") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_torn_write_fails_every_later_record)
{
    group_committer committer(1, [](std::size_t) {});
    BOOST_CHECK_THROW((void)committer.append([] { throw lacme::accountd::torn_write("short write"); }),
                      lacme::accountd::torn_write);
    BOOST_TEST(lacme::test::error_message([&] { (void)committer.append([] {}); }).find("short write") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
