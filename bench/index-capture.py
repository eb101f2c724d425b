#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Capture a server's answer to pons's index fetch, for bench/bench-index.

Usage: index-capture.py PORT CAFILE USER PASS OUT [MAILBOX]

Logs in over implicit TLS (the certificate verified against CAFILE), selects
MAILBOX (INBOX), sends the index fetch pons sends for every message
(UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ
BODY.PEEK[HEADER.FIELDS (...)])) and writes the server's bytes from the
first untagged FETCH to the tagged OK, exactly as they came, to OUT.
"""
import socket
import ssl
import sys

FIELDS = ("FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES "
          "CONTENT-TYPE")


def until_tag(sock, tag, buf):
    """Read until a line starting with tag; returns (all, rest)."""
    want = tag.encode() + b" "
    parts = [buf]
    tail = buf
    done = b""
    while True:
        start = 0
        while True:
            nl = tail.find(b"\r\n", start)
            if nl < 0:
                break
            if tail.startswith(want, start):
                parts[-1] = tail[:nl + 2]
                return b"".join(parts), tail[nl + 2:]
            start = nl + 2
        # keep the unfinished line in tail, the rest in parts
        parts[-1] = tail[:start]
        data = sock.recv(1 << 16)
        if not data:
            sys.exit("connection closed before " + tag)
        tail = tail[start:] + data
        parts.append(tail)


def main():
    port, ca, user, pw, out = sys.argv[1:6]
    mbox = sys.argv[6] if len(sys.argv) > 6 else "INBOX"
    ctx = ssl.create_default_context(cafile=ca)
    raw = socket.create_connection(("127.0.0.1", int(port)))
    sock = ctx.wrap_socket(raw, server_hostname="localhost")
    buf = b""
    while b"\r\n" not in buf:
        buf += sock.recv(4096)
    buf = buf[buf.index(b"\r\n") + 2:]
    sock.sendall(b'a1 LOGIN "%s" "%s"\r\n' % (user.encode(), pw.encode()))
    _, buf = until_tag(sock, "a1", buf)
    sock.sendall(b"a2 SELECT %s\r\n" % mbox.encode())
    _, buf = until_tag(sock, "a2", buf)
    sock.sendall(("a3 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE "
                  "MODSEQ BODY.PEEK[HEADER.FIELDS (%s)])\r\n" % FIELDS)
                 .encode())
    got, buf = until_tag(sock, "a3", buf)
    if not got.rstrip().split(b"\r\n")[-1].startswith(b"a3 OK"):
        sys.exit("fetch failed: " + got[-200:].decode("latin-1"))
    with open(out, "wb") as f:
        f.write(got)
    sock.sendall(b"a4 LOGOUT\r\n")
    sock.close()


if __name__ == "__main__":
    main()
