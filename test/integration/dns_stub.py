#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A DNS server for tests that need glibc's resolver to really ask one (not a test by itself).

  dns_stub.py ADDRESS PORT LOG
      Answers every A query with 127.0.0.1 and every other query with no records (NOERROR), over
      UDP on ADDRESS:PORT; appends each queried name and type to LOG. Runs until killed.
"""
import socket
import struct
import sys


def question(packet):
    """(name, qtype, end offset of the question) of a query's first question."""
    labels, at = [], 12
    while packet[at]:
        length = packet[at]
        labels.append(packet[at + 1:at + 1 + length].decode("ascii", "replace"))
        at += 1 + length
    qtype = struct.unpack("!H", packet[at + 1:at + 3])[0]
    return ".".join(labels), qtype, at + 5


def answer(packet):
    name, qtype, end = question(packet)
    ident = packet[:2]
    records = []
    if qtype == 1:
        # A pointer to the question's name (offset 12), type A, class IN, TTL 60, 4 bytes.
        records.append(struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton("127.0.0.1"))
    header = ident + struct.pack("!HHHHH", 0x8180, 1, len(records), 0, 0)
    return name, qtype, header + packet[12:end] + b"".join(records)


def main():
    address, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, port))
    while True:
        packet, peer = sock.recvfrom(512)
        try:
            name, qtype, reply = answer(packet)
        except (IndexError, struct.error):
            continue
        with open(log, "a") as f:
            f.write("%s %d\n" % (name, qtype))
        sock.sendto(reply, peer)


if __name__ == "__main__":
    main()
