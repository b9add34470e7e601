// SPDX-License-Identifier: GPL-3.0-or-later
// ca-parser-oracle: what an ACME CA written in Go (pebble, Boulder) would act on, for each
// payload it is given: the payload decoded with encoding/json into the request structs those
// CAs use, CSRs and certificates parsed with crypto/x509. Standard library only.
//
// Input: one payload per line, unpadded base64url of its JSON text. Output: one JSON object per
// input line, each member the reading of one request kind, absent when the CA would refuse
// that reading or it asks for nothing:
//
//	order, authz, csr, certificate: the identifiers named, as [type, value] pairs
//	account: "update" (contact or status of an existing account), "create" (a newAccount that
//	         is no look-up), or absent
//	deactivate: true; keychange: true
package main

import (
	"bufio"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
)

type identifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// pebble's acme.Order / Boulder's newOrder request.
type orderRequest struct {
	Identifiers []identifier `json:"identifiers"`
	NotBefore   string       `json:"notBefore"`
	NotAfter    string       `json:"notAfter"`
	Replaces    string       `json:"replaces"`
	Profile     string       `json:"profile"`
}

type authzRequest struct {
	Identifier identifier `json:"identifier"`
}

type finalizeRequest struct {
	CSR string `json:"csr"`
}

type revocationRequest struct {
	Certificate string `json:"certificate"`
	Reason      *uint  `json:"reason"`
}

type newAccountRequest struct {
	Contact                []string        `json:"contact"`
	ToSAgreed              bool            `json:"termsOfServiceAgreed"`
	OnlyReturnExisting     bool            `json:"onlyReturnExisting"`
	ExternalAccountBinding json.RawMessage `json:"externalAccountBinding"`
}

type accountUpdateRequest struct {
	Contact []string `json:"contact"`
	Status  string   `json:"status"`
}

type keyChangeRequest struct {
	Account string          `json:"account"`
	OldKey  json.RawMessage `json:"oldKey"`
}

type flattenedJWS struct {
	Protected string `json:"protected"`
	Payload   string `json:"payload"`
	Signature string `json:"signature"`
}

type reading struct {
	Order       [][2]string `json:"order,omitempty"`
	Authz       [][2]string `json:"authz,omitempty"`
	CSR         [][2]string `json:"csr,omitempty"`
	Certificate [][2]string `json:"certificate,omitempty"`
	Account     string      `json:"account,omitempty"`
	Deactivate  bool        `json:"deactivate,omitempty"`
	Keychange   bool        `json:"keychange,omitempty"`
}

// The CA acts on an identifier as its parsed form: an "ip" value as net.ParseIP reads it.
func actedOn(id identifier) [2]string {
	if id.Type == "ip" {
		if ip := net.ParseIP(id.Value); ip != nil {
			return [2]string{"ip", ip.String()}
		}
	}
	return [2]string{id.Type, id.Value}
}

func names(cn string, dns []string, ips []net.IP, emails []string, uris []*url.URL) [][2]string {
	out := [][2]string{}
	if cn != "" {
		if ip := net.ParseIP(cn); ip != nil {
			out = append(out, [2]string{"ip", ip.String()})
		} else {
			out = append(out, [2]string{"dns", cn})
		}
	}
	for _, n := range dns {
		out = append(out, [2]string{"dns", n})
	}
	for _, ip := range ips {
		out = append(out, [2]string{"ip", ip.String()})
	}
	for _, e := range emails {
		out = append(out, [2]string{"email", e})
	}
	for _, u := range uris {
		out = append(out, [2]string{"uri", u.String()})
	}
	return out
}

func read(payload []byte) reading {
	var r reading
	var order orderRequest
	if json.Unmarshal(payload, &order) == nil {
		for _, id := range order.Identifiers {
			r.Order = append(r.Order, actedOn(id))
		}
	}
	var authz authzRequest
	if json.Unmarshal(payload, &authz) == nil && (authz.Identifier != identifier{}) {
		r.Authz = [][2]string{actedOn(authz.Identifier)}
	}
	var finalize finalizeRequest
	if json.Unmarshal(payload, &finalize) == nil && finalize.CSR != "" {
		if der, err := base64.RawURLEncoding.DecodeString(finalize.CSR); err == nil {
			if csr, err := x509.ParseCertificateRequest(der); err == nil {
				r.CSR = names(csr.Subject.CommonName, csr.DNSNames, csr.IPAddresses, csr.EmailAddresses, csr.URIs)
			}
		}
	}
	var revocation revocationRequest
	if json.Unmarshal(payload, &revocation) == nil && revocation.Certificate != "" {
		if der, err := base64.RawURLEncoding.DecodeString(revocation.Certificate); err == nil {
			if cert, err := x509.ParseCertificate(der); err == nil {
				r.Certificate = names(cert.Subject.CommonName, cert.DNSNames, cert.IPAddresses, cert.EmailAddresses, cert.URIs)
			}
		}
	}
	var update accountUpdateRequest
	if json.Unmarshal(payload, &update) == nil {
		if update.Contact != nil || (update.Status != "" && update.Status != "deactivated") {
			r.Account = "update"
		}
		r.Deactivate = update.Status == "deactivated"
	}
	var create newAccountRequest
	if r.Account == "" && json.Unmarshal(payload, &create) == nil && !create.OnlyReturnExisting &&
		(create.Contact != nil || create.ToSAgreed || create.ExternalAccountBinding != nil) {
		r.Account = "create"
	}
	var keyChange keyChangeRequest
	if json.Unmarshal(payload, &keyChange) == nil && (keyChange.Account != "" || keyChange.OldKey != nil) {
		r.Keychange = true
	}
	var outer flattenedJWS
	if json.Unmarshal(payload, &outer) == nil && (outer.Protected != "" || outer.Payload != "" || outer.Signature != "") {
		r.Keychange = true
	}
	return r
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		payload, err := base64.RawURLEncoding.DecodeString(in.Text())
		if err != nil {
			fmt.Fprintln(os.Stderr, "ca-parser-oracle: input line is not base64url")
			os.Exit(2)
		}
		line, _ := json.Marshal(read(payload))
		out.Write(append(line, '\n'))
	}
	if in.Err() != nil {
		fmt.Fprintln(os.Stderr, "ca-parser-oracle:", in.Err())
		os.Exit(2)
	}
}
