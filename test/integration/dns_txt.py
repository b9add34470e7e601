#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# dns_txt.py PORT NAME: asks 127.0.0.1:PORT (UDP) for NAME's TXT records and prints each value on
# a line (nothing when there are none). A test's probe of pebble-challtestsrv, not product code.
import random
import socket
import struct
import sys

port, name = int(sys.argv[1]), sys.argv[2].rstrip(".")
query_id = random.randrange(65536)
question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
packet = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + question + struct.pack("!HH", 16, 1)
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.settimeout(5)
    s.sendto(packet, ("127.0.0.1", port))
    answer = s.recv(65535)
(answer_id, flags, qdcount, ancount) = struct.unpack("!HHHH", answer[:8])
if answer_id != query_id:
    sys.exit("dns_txt.py: answer to another query")


def skip_name(offset):
    while True:
        length = answer[offset]
        if length == 0:
            return offset + 1
        if length & 0xC0:
            return offset + 2
        offset += 1 + length


offset = 12
for _ in range(qdcount):
    offset = skip_name(offset) + 4
for _ in range(ancount):
    offset = skip_name(offset)
    rtype, _, _, rdlength = struct.unpack("!HHIH", answer[offset:offset + 10])
    offset += 10
    data = answer[offset:offset + rdlength]
    offset += rdlength
    if rtype != 16:
        continue
    value, i = b"", 0
    while i < len(data):
        value += data[i + 1:i + 1 + data[i]]
        i += 1 + data[i]
    print(value.decode())
