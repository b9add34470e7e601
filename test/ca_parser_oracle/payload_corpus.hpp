// SPDX-License-Identifier: GPL-3.0-or-later
// The differential check's corpus: payloads a hostile web host could send for signing, built
// as text so that member names, duplicates, escapes and value types are exactly as chosen.
// Every reviewed bypass (issue 19) plus seeded random mutations of every RFC 8555 shape.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace lacme::test {

struct corpus_case {
    std::string payload;  // JSON text
    bool jwk_headed = false;
};

// The fixed cases, then random ones up to count in all (the same for the same seed).
std::vector<corpus_case> payload_corpus(std::size_t count, unsigned seed);

}  // namespace lacme::test
