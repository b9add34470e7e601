// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/accountd_connection.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/jwk.hpp"

namespace lacme::client {

accountd_connection::accountd_connection(unique_fd fd) : fd_(std::move(fd))
{
    const std::string first = read_line();
    const std::string jwk = read_line();
    greeting_ = parse_accountd_greeting(first, jwk);
    thumbprint_ = greeting_.jwk_thumbprint.empty() ? jwk_thumbprint(greeting_.jwk) : greeting_.jwk_thumbprint;
}

std::string accountd_connection::read_line()
{
    std::optional<line_buffer::line> line;
    try {
        line = lacme::read_line(fd_.get(), buffer_, "read from lacme-accountd");
    } catch (const lacme::error&) {
        lost_ = true;
        throw;
    }
    if (line)
        return std::move(line->text);  // Perl's accountd always sends CRLF; a bare LF is tolerated
    lost_ = true;
    if (buffer_.overflowed())
        throw lacme::error("lacme-accountd sent an overlong line");
    throw lacme::error("lost connection with lacme-accountd");
}

void accountd_connection::write_line(std::string_view text, std::string_view what)
{
    std::string line(text);
    line += "\r\n";
    try {
        write_all(fd_.get(), line, what);
    } catch (const lacme::error&) {
        lost_ = true;
        throw;
    }
}

std::string accountd_connection::sign(std::string_view signing_input)
{
    write_line(signing_input, "to lacme-accountd");
    std::string signature = read_line();
    if (auto refusal = accountd_refusal_error(signature))
        throw lacme::error(*refusal);
    if (signature.empty() || !is_base64url_alphabet(signature))
        throw lacme::error("lacme-accountd refused to sign or sent an invalid signature");
    ++signatures_;
    return signature;
}

std::string accountd_connection::ask_master(std::string_view request)
{
    write_line(request, "to the master");
    return read_line();
}

}  // namespace lacme::client
