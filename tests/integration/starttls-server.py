#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A one-connection STARTTLS server for pons's net tests.

Usage: starttls-server.py CERT KEY

Prints "PORT n" once listening on 127.0.0.1, then serves one client:
greets, waits for "a1 STARTTLS", and answers "a1 OK" followed, in the
same segment, by an injected line, as a man in the middle would.  A
correct client discards that line when it upgrades.  After the TLS
handshake it sends "* AFTER TLS".  Then, for "BULK n" followed by n
bytes, it answers "SHA hex-sha256-of-them", n bytes of the pattern
0, 1, ... 250, 0, 1, ... and "DONE"; any other line is echoed as
"echo LINE" and the connection closed.  Dovecot never injects bytes, hence this scripted server.
"""
import hashlib
import socket
import ssl
import sys


def recv_line(s):
    data = b""
    while not data.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            break
        data += c
    return data


def main():
    cert, key = sys.argv[1], sys.argv[2]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    print("PORT %d" % lsock.getsockname()[1], flush=True)
    lsock.settimeout(20)
    conn, _ = lsock.accept()
    conn.settimeout(20)
    conn.sendall(b"* OK pons test server\r\n")
    if recv_line(conn).strip() != b"a1 STARTTLS":
        conn.sendall(b"a1 BAD expected STARTTLS\r\n")
        return 1
    conn.sendall(b"a1 OK begin TLS\r\n* INJECTED before TLS\r\n")
    tls = ctx.wrap_socket(conn, server_side=True)
    tls.sendall(b"* AFTER TLS\r\n")
    while True:
        line = recv_line(tls)
        if not line.startswith(b"BULK "):
            break
        n = int(line.split()[1])
        data = b""
        while len(data) < n:
            chunk = tls.recv(min(65536, n - len(data)))
            if not chunk:
                return 1
            data += chunk
        out = (bytes(range(251)) * (n // 251 + 1))[:n]
        tls.sendall(b"SHA " + hashlib.sha256(data).hexdigest().encode() +
                    b"\r\n" + out + b"DONE\r\n")
    tls.sendall(b"echo " + line)
    tls.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
