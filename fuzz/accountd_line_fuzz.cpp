// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes what lacme-accountd parses from its peers (the line framing and the signing-input
// validation) and what the client parses from accountd (the greeting).
#include "common/accountd_protocol.hpp"
#include "common/error.hpp"
#include "common/line_buffer.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const lacme::signing_key_identity key{"ES256",
                                                 {{"kty", "EC"},
                                                  {"crv", "P-256"},
                                                  {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                                                  {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}}};
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    // Framing: feeding the bytes in two arbitrary chunks yields the same lines as at once.
    lacme::line_buffer whole(1024), split(1024);
    whole.append(input);
    const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
    split.append(input.substr(0, cut));
    std::size_t lines = 0;
    while (auto line = split.next()) {
        auto other = whole.next();
        if (!other || other->text != line->text || other->bare_newline != line->bare_newline)
            std::abort();
        ++lines;
    }
    split.append(input.substr(cut));
    while (auto line = split.next()) {
        auto other = whole.next();
        if (!other || other->text != line->text || other->bare_newline != line->bare_newline)
            std::abort();
        if (line->text.find('\n') != std::string::npos)
            std::abort();
        ++lines;
        // Validation must never throw, whatever the line.
        const auto check = lacme::check_signing_input(line->text, key);
        if (check.verdict == lacme::signing_input_verdict::ok && line->text.find('.') == std::string::npos)
            std::abort();
    }
    if (whole.next())
        std::abort();
    (void)whole.overflowed();

    // Greeting parsing: either a greeting or a lacme::error, nothing else.
    const auto nl = input.find('\n');
    try {
        (void)lacme::parse_accountd_greeting(input.substr(0, nl),
                                             nl == std::string_view::npos ? "" : input.substr(nl + 1));
    } catch (const lacme::error&) {
    }
    (void)lines;
    return 0;
}
