// SPDX-License-Identifier: GPL-3.0-or-later
// What accountd does with each connection, independent of transport: the greeting, validation
// of each signing input (on the event loop), and signing (on a worker thread).
#pragma once

#include "accountd/keys/signer.hpp"
#include "accountd/policy/signing_guard.hpp"
#include "common/accountd_protocol.hpp"
#include "common/log.hpp"
#include "common/rate_limiter.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace lacme::accountd {

// Whom a connection serves: the guard (policy and audit log) that decides its requests, none for
// lacme 0.8 behaviour, and who the caller is, as audit records and log lines name them.
struct tenant {
    signing_guard* guard = nullptr;
    std::string caller = "local";
};

// A request that may be signed, and what its audit record will say.
struct admitted_request {
    signing_input_check input;
    authorization grant;
    signing_guard* guard = nullptr;  // that admitted it, and records its signature
};

struct admission {
    std::optional<admitted_request> request;  // nullopt: refused, close the connection
    // Sent before closing: "NOSIGN <reason>\n" for a policy refusal (doc/accountd-protocol.md),
    // empty for the protocol refusals of lacme 0.8, which just close.
    std::string refusal_line;
};

class signing_service {
public:
    // fallback: whom connections serve when their socket names no other tenant (the single
    // socket, --stdio).
    signing_service(signer& key, logger& log, std::optional<std::string> keyid, tenant fallback = {});

    [[nodiscard]] const std::string& greeting() const noexcept { return greeting_; }
    [[nodiscard]] logger& log() noexcept { return log_; }
    [[nodiscard]] const tenant& fallback_tenant() const noexcept { return fallback_; }

    // Validates one request line (without CRLF), then asks the tenant's guard. On refusal logs
    // NOSIGN; the connection must then be closed, as lacme 0.8 does.
    admission admit(std::string_view connection_id, const tenant& who, std::string_view line);
    admission admit(std::string_view connection_id, std::string_view line)
    {
        return admit(connection_id, fallback_, line);
    }

    // Thread-safe. The response line (base64url signature + CRLF).
    [[nodiscard]] std::string sign(std::string_view line) const;
    [[nodiscard]] bool signs_inline() const noexcept { return key_.signs_without_blocking(); }

    // What a peer sent is logged escaped (no control byte reaches the log) and cut at 1 KiB.
    void log_signed(std::string_view connection_id, const signing_input_check& request);
    // What to do with a signature once release() wrote its audit record.
    struct release_step {
        std::optional<std::string> refusal_line;  // send this instead, then close
        // The record is written but not on disk yet: await_record() off the loop, then released().
        std::optional<audit_ticket> pending;
    };
    // Just before a signature is sent: writes its audit record (without waiting for the disk).
    // Neither field set: logged (log_signed), send it now.
    release_step release(std::string_view connection_id, const admitted_request& request);
    // Thread-safe, blocks until the record is on disk (a worker thread, never the loop). The
    // refusal reason when it will never be.
    [[nodiscard]] static std::optional<std::string> await_record(const admitted_request& request, audit_ticket ticket);
    // After await_record: logs the outcome; the refusal line to send instead of the signature.
    std::optional<std::string> released(std::string_view connection_id, const admitted_request& request,
                                        const std::optional<std::string>& failure);
    // NOSIGN, at the verbose level and at most 10 lines at once then one a second (a peer can
    // trigger them at will). Under --quiet only a summary, at most once a minute, at info level.
    void log_refusal(std::string_view connection_id, std::string_view reason,
                     const signing_input_check* request = nullptr);

private:
    signer& key_;
    logger& log_;
    tenant fallback_;
    signing_key_identity identity_;
    std::string greeting_;
    std::mutex refusals_mutex_;  // the limiters below serve every worker thread
    rate_limiter refusal_details_{10, std::chrono::seconds(1)};
    rate_limiter refusal_summaries_{1, std::chrono::minutes(1)};
};

}  // namespace lacme::accountd
