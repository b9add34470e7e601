// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the OpenSSL reading of CSRs (finalize) and certificates (revokeCert) in
// lacme-accountd's policy: DER bytes, base64url-encoded as ACME carries them.
#include "accountd/policy/csr_names.hpp"
#include "common/base64url.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string encoded = lacme::base64url_encode(std::string_view(reinterpret_cast<const char*>(data), size));
    const auto csr = lacme::accountd::csr_names(encoded);
    const auto certificate = lacme::accountd::certificate_names(encoded);
    // One DER object is never both.
    if (csr && certificate)
        std::abort();
    return 0;
}
