#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Debian's Perl lacme issues certificates from pebble while OUR lacme-accountd keeps the account
# key in a (software) TPM 2.0: a persistent RSA-2048 and a P-256 key (a) through the tpm2-openssl
# provider (privkey = store:handle:0x81......, provider = tpm2), (b) through tpm2-pkcs11 as a
# PKCS#11 module (privkey = pkcs11:...?module-path=...), PIN from pin-file and from the URI.
# Perl's client does not retry badNonce, so pebble's nonce rejection is off here.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tpm_lib.sh"
t_require lacme
[ -x "$ACCOUNTD" ] || t_fail "missing $ACCOUNTD (build lacme-accountd)"
t_pebble_up PEBBLE_WFE_NONCEREJECT=0
t_swtpm_up
t_tpm2_pkcs11_token acme
t_tpm_persistent_key 0x81010001 rsa2048
t_tpm_persistent_key 0x81010002 ecc256:ecdsa
echo 1234 >"$T/tpm/pin"; chmod 0600 "$T/tpm/pin"

out=$("$ACCOUNTD" --config=/dev/null --list-keys --privkey=store:handle:0x81010002 --provider=tpm2 2>&1)
[ "$out" = "store:handle:0x81010002  private key ES256 (provider tpm2)" ] || t_fail "--list-keys store: $out"
t_expect_fail "store: URI without the provider that serves it" "cannot open store:handle:0x81010001 \\(is the provider" \
    "$ACCOUNTD" --config=/dev/null --stdio --privkey=store:handle:0x81010001
t_pass "--list-keys shows the TPM key through tpm2-openssl"

token="pkcs11:token=acme"
module="module-path=$TPM2_PKCS11_MODULE"
# name, privkey, extra config line
cases=(
    "store-rsa2048|store:handle:0x81010001|provider = tpm2"
    "store-p256|store:handle:0x81010002|provider = tpm2"
    "pkcs11-rsa2048|$token;object=acct-rsa;type=private?$module|pin-file = $T/tpm/pin"
    "pkcs11-p256|$token;object=acct-p256?pin-value=1234&$module|"
)
for c in "${cases[@]}"; do
    IFS='|' read -r name privkey extra <<<"$c"
    d="$T/$name"; mkdir -p "$d"
    { echo "privkey = $privkey"; [ -z "$extra" ] || echo "$extra"; echo "logfile = $d/accountd.log"
      echo "pin-state-dir = $T/pin-state"; } >"$d/accountd.conf"
    # The master clears the environment: the TPM's TCTI (and tpm2-pkcs11's store) go on the
    # command line, as a site sets them for its own TPM (doc/tpm.md).
    t_perl_lacme_conf "$d" accountd="env TPM2OPENSSL_TCTI=$TPM_TCTI TPM2_PKCS11_TCTI=$TPM_TCTI \
TPM2_PKCS11_STORE=$TPM2_PKCS11_STORE $ACCOUNTD" accountd_config="$d/accountd.conf"
    t_perl_issue "$d" "$name"
    grep -q 'SIGNED header=' "$d/accountd.log" || t_fail "$name: accountd logged no signature"
    t_pass "$name TPM key, Perl lacme + our accountd --stdio ($privkey${extra:+, ${extra%% =*}})"
done
t_done
