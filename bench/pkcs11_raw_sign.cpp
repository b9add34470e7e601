// SPDX-License-Identifier: GPL-3.0-or-later
// pkcs11-raw-sign: the token's own signing rate, for comparison with lacme-accountd's: T threads,
// each with its own session, call C_SignInit + C_Sign N times on the key a URI selects (the same
// mechanisms accountd uses: CKM_SHA256_RSA_PKCS, or CKM_ECDSA over a precomputed digest).
//
// usage: pkcs11-raw-sign MODULE URI THREADS SIGNATURES [--signer]
//   (PIN from the URI: pin-value/pin-source). --signer: through lacme's token_key instead (session
//   pool, hashing, re-login checks), to separate the library's cost from the socket's.
#include "pkcs11/error.hpp"
#include "pkcs11/module.hpp"
#include "pkcs11/pin_source.hpp"
#include "pkcs11/session.hpp"
#include "pkcs11/token_key.hpp"
#include "pkcs11/uri.hpp"
#include "pkcs11/uri_match.hpp"

#include "bench/process_cpu.hpp"

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

using namespace lacme::pkcs11;

int main(int argc, char** argv)
{
    const bool via_signer = argc == 6 && std::string_view(argv[5]) == "--signer";
    if (argc != 5 && !via_signer) {
        std::cerr << "usage: pkcs11-raw-sign MODULE URI THREADS SIGNATURES [--signer]\n";
        return 2;
    }
    try {
        const uri u = uri::parse(argv[2]);
        const int threads = std::stoi(argv[3]);
        const int count = std::stoi(argv[4]);
        std::optional<module> mod(std::in_place, argv[1]);
        const token_slot t = select_token(*mod, u);
        const auto pin = configured_pin(u, {});
        std::optional<session> anchor(std::in_place, *mod, t.slot);
        std::optional<login> logged_in(std::in_place, *anchor, pin ? &*pin : nullptr);
        const CK_OBJECT_HANDLE key = select_private_key(*anchor, u, describe(t));
        const bool rsa = anchor->attribute_ulong(key, CKA_KEY_TYPE) == CKK_RSA;
        const auto params = anchor->attribute(key, CKA_EC_PARAMS);
        const bool p384 = params && params->size() == 7;
        const char* alg = rsa ? "RS256" : p384 ? "ES384" : "ES256";
        std::vector<std::uint8_t> data(rsa ? 100 : p384 ? 48 : 32, 0x5a);

        std::optional<token_key> signer;
        if (via_signer) {
            key_options options;
            options.allow_prompt = false;
            options.max_sessions = static_cast<std::size_t>(threads);
            signer.emplace(*mod, uri::parse(argv[2]), std::move(options));
        }
        std::atomic<int> failures{0};
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> workers;
        for (int i = 0; i < threads; ++i)
            workers.emplace_back([&] {
                try {
                    if (signer) {
                        const std::string input = "eyJhbGciOiJFUzI1NiJ9.eyJub25jZSI6Im4ifQ";
                        for (int n = 0; n < count; ++n)
                            (void)signer->sign(input);
                        return;
                    }
                    const session s(*mod, t.slot);
                    CK_MECHANISM m{rsa ? CKM_SHA256_RSA_PKCS : CKM_ECDSA, nullptr, 0};
                    std::vector<std::uint8_t> sig(512);
                    for (int n = 0; n < count; ++n) {
                        CK_ULONG len = sig.size();
                        check(s.fn()->C_SignInit(s.handle(), &m, key), "C_SignInit");
                        check(s.fn()->C_Sign(s.handle(), data.data(), data.size(), sig.data(), &len), "C_Sign");
                    }
                } catch (const std::exception& e) {
                    std::cerr << "pkcs11-raw-sign: " << e.what() << "\n";
                    failures++;
                }
            });
        for (auto& w : workers)
            w.join();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const long total = static_cast<long>(threads) * count;
        std::cout << alg << " threads=" << threads << " signatures=" << total << " failures=" << failures
                  << " seconds=" << seconds << " rate=" << static_cast<long>(total / seconds)
                  << " cpu_us_per_signature=" << lacme::process_cpu_seconds() * 1e6 / static_cast<double>(total)
                  << "\n";
        signer.reset();
        logged_in.reset();
        anchor.reset();
        mod.reset();  // C_Finalize before exit
        return failures == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "pkcs11-raw-sign: " << e.what() << "\n";
        return 1;
    }
}
