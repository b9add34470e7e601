// SPDX-License-Identifier: GPL-3.0-or-later
// What a signing input asks the CA to do, read from its protected header and JSON payload
// alone: accountd fetches nothing (it does not know the CA's directory) and trusts nothing the
// caller says about itself. RFC 8555 gives every request a payload of its own shape, so the
// shape decides (doc/accountd-protocol.md):
//   empty payload                                   get (POST-as-GET)
//   {}                                              challenge (response to a challenge)
//   {"onlyReturnExisting": true}, jwk-headed        lookup (newAccount that creates nothing)
//   {"identifiers": [...], notBefore, ...}          new_order
//   {"identifier": {...}}                           new_authz (pre-authorization)
//   {"csr": ...}                                    finalize
//   {"certificate": ..., "reason"}                  revoke
//   {"status": "deactivated"}                       deactivate
//   {"contact", "termsOfServiceAgreed", "externalAccountBinding"}   account
//   {"protected", "payload", "signature"} (a JWS)   keychange (outer JWS, signed by the old key)
//   {"account", "oldKey"}                           keychange (inner JWS, signed by the new key)
// A payload with a member outside its shape's list, at any depth, or a value of another type is
// unknown, and refused by any policy; so is any JSON text with a non-ASCII member name or two
// member names of one object that differ only by case: the CA's Go decoder matches names
// case-insensitively (with Unicode folds), so it could read another member than the policy did.
#pragma once

#include "accountd/policy/identifier_match.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lacme::accountd {

enum class operation {
    get,
    challenge,
    lookup,
    new_order,
    new_authz,
    finalize,
    revoke,
    account,
    deactivate,
    keychange,
    unknown,
};

// The name a policy's `operations` and the audit log use: "order" for new_order, new_authz and
// finalize; "get", "challenge", "lookup" and "unknown" for the rest.
std::string_view operation_name(operation op) noexcept;

struct classified_request {
    operation op = operation::unknown;
    std::string url;  // the protected header's "url"
    bool jwk_headed = false;  // "jwk" rather than "kid"
    // Of the order, authorization, CSR or certificate; empty for other operations.
    std::vector<identifier> identifiers;
    std::string problem;  // why the request is unknown
};

// header and payload are the decoded JSON texts of a signing input that passed
// check_signing_input (common/accountd_protocol.hpp). Never throws on hostile input.
classified_request classify_signing_request(std::string_view header, std::string_view payload);

}  // namespace lacme::accountd
