// SPDX-License-Identifier: GPL-3.0-or-later
// The client's end of the accountd socket (protocol in common/accountd_protocol.hpp): reads the
// greeting, then asks for one signature per signed ACME request and counts them.
#pragma once

#include "common/accountd_protocol.hpp"
#include "common/line_buffer.hpp"
#include "common/unique_fd.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace lacme::client {

class accountd_connection {
public:
    // Takes ownership of fd (a connected stream) and reads the greeting; throws lacme::error.
    explicit accountd_connection(unique_fd fd);

    [[nodiscard]] const accountd_greeting& greeting() const noexcept { return greeting_; }
    // Thumbprint from the greeting or, for daemons that omit it, computed from the JWK.
    [[nodiscard]] const std::string& thumbprint() const noexcept { return thumbprint_; }

    // BASE64URL(signature) for a signing input "B64(header).B64(payload)".
    std::string sign(std::string_view signing_input);
    [[nodiscard]] std::size_t signatures() const noexcept { return signatures_; }
    // True once the connection failed (end of stream, an I/O error, an overlong line): nothing
    // more can be signed. A refusal leaves it usable (the master's relay carries on).
    [[nodiscard]] bool lost() const noexcept { return lost_; }
    // A request to the master that relays this connection (common/dns01_protocol.hpp): sends the
    // line, returns the master's one-line answer.
    std::string ask_master(std::string_view request);

private:
    std::string read_line();
    void write_line(std::string_view text, std::string_view what);

    unique_fd fd_;
    line_buffer buffer_{accountd_max_line};
    accountd_greeting greeting_;
    std::string thumbprint_;
    std::size_t signatures_ = 0;
    bool lost_ = false;
};

}  // namespace lacme::client
