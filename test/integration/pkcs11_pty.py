#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a command on a fresh pseudo-terminal and answers its PIN prompt, as a user at a terminal
would: pkcs11_pty.py PROMPT_REGEX ANSWER LOGFILE -- COMMAND...

Everything the command writes to the terminal is copied to LOGFILE (the answer is never echoed
back if the command turned echo off, which the log then shows). Exits with the command's status;
fails if the prompt does not appear within 20 s."""
import os
import pty
import re
import select
import sys
import time


def main():
    if len(sys.argv) < 6 or sys.argv[4] != "--":
        sys.exit("usage: pkcs11_pty.py PROMPT_REGEX ANSWER LOGFILE -- COMMAND...")
    prompt, answer, logfile, command = re.compile(sys.argv[1].encode()), sys.argv[2], sys.argv[3], sys.argv[5:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    seen = b""
    answered = False
    deadline = time.monotonic() + 20
    with open(logfile, "ab", buffering=0) as log:
        while True:
            if not answered and time.monotonic() > deadline:
                log.write(b"\n[pkcs11_pty: no prompt within 20 s]\n")
                os.kill(pid, 15)
                sys.exit(2)
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    break
                log.write(data)
                seen += data
                if not answered and prompt.search(seen):
                    os.write(fd, answer.encode() + b"\n")
                    answered = True
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
