// SPDX-License-Identifier: GPL-3.0-or-later
// Group commit of the audit log: which written records are on disk, and who syncs next. Pure
// bookkeeping, no I/O and no threads; audit_log drives it under its mutex.
//
// Records are numbered from 1 in the order they were written to the file. A sync (fdatasync)
// started after record n was written makes records 1..n durable when it succeeds, so a record
// written while a sync is in flight waits for the next one, which covers every record written
// by then: one sync for many records. Several syncs may be in flight, each on its own slot (its
// own descriptor): on the virtual disks measured for this (bench/accountd), one lone fdatasync
// took ~5 ms but 4 overlapping ones completed ~10 times as many syncs per second, and on a real
// disk the kernel merges overlapping flushes anyway.
//
// After a failed sync the log is broken: pages whose writeback failed are not written again, so
// a later successful sync proves nothing about them. Every record not yet durable then fails,
// and so does every later one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lacme::accountd {

class group_commit {
public:
    using sequence = std::uint64_t;

    // One sync: the slot it runs on and the last record it covers.
    struct sync {
        std::size_t slot;
        sequence covers;
    };

    // What the caller waiting for a record does next.
    enum class step {
        done,  // the record is durable: its signature may leave
        failed,  // it never will be
        wait,  // a sync in flight covers it, or every slot is busy: wait for end_sync()
        sync,  // call start_sync(), run it, then end_sync()
    };

    explicit group_commit(std::size_t slots);

    // A record was written to the file (not synced yet): its number.
    sequence written() noexcept { return ++written_; }
    // A record could not be written whole: nothing written later can be trusted.
    void break_log() noexcept { broken_ = true; }

    [[nodiscard]] step next_step(sequence record) const noexcept;
    // Only when next_step() said sync.
    sync start_sync();
    void end_sync(const sync& finished, bool ok);

    [[nodiscard]] bool broken() const noexcept { return broken_; }
    [[nodiscard]] sequence durable() const noexcept { return durable_; }
    [[nodiscard]] std::size_t syncs_in_flight() const noexcept { return in_flight_; }

private:
    std::vector<bool> slot_busy_;
    std::size_t in_flight_ = 0;
    sequence written_ = 0;
    sequence covered_ = 0;  // by the latest sync started
    sequence durable_ = 0;
    bool broken_ = false;
};

}  // namespace lacme::accountd
