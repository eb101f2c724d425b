#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# A clear-text IMAP and POP3 listener for tests/integration/test-discover.sh:
# it offers logins but neither STARTTLS nor STLS, and appends every byte a
# client sends to a record file, so the test can check that pons never
# sends a password (nor a login command) without TLS.  Dovecot always
# offers STARTTLS, so this misbehaviour needs a fake.
#
#	discover-listener.py RECORD PORTFILE
# listens on two free loopback ports, writes "IMAPPORT POP3PORT" to PORTFILE
# and serves until killed.
import os
import socket
import sys
import threading

record = open(sys.argv[1], "ab", buffering=0)
lock = threading.Lock()


def log(data):
    with lock:
        record.write(data)


def serve_imap(conn):
    conn.sendall(b"* OK no TLS here\r\n")
    f = conn.makefile("rb")
    for line in f:
        log(line)
        parts = line.split()
        if len(parts) < 2:
            continue
        tag, cmd = parts[0], parts[1].upper()
        if cmd == b"CAPABILITY":
            conn.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" +
                         tag + b" OK done\r\n")
        elif cmd == b"LOGOUT":
            conn.sendall(b"* BYE bye\r\n" + tag + b" OK done\r\n")
            break
        else:
            conn.sendall(tag + b" NO not here\r\n")


def serve_pop3(conn):
    conn.sendall(b"+OK no TLS here\r\n")
    f = conn.makefile("rb")
    for line in f:
        log(line)
        cmd = line.split()[0].upper() if line.split() else b""
        if cmd == b"CAPA":
            conn.sendall(b"+OK\r\nUSER\r\nUIDL\r\nSASL PLAIN\r\n.\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"+OK bye\r\n")
            break
        else:
            conn.sendall(b"-ERR not here\r\n")


def handle(conn, fn):
    try:
        fn(conn)
    except OSError:
        pass
    finally:
        conn.close()


def accept_loop(sock, fn):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=handle, args=(conn, fn), daemon=True).start()


socks = []
for fn in (serve_imap, serve_pop3):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    socks.append(s)
    threading.Thread(target=accept_loop, args=(s, fn), daemon=True).start()
with open(sys.argv[2] + ".tmp", "w") as pf:
    pf.write("%d %d\n" % (socks[0].getsockname()[1], socks[1].getsockname()[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
threading.Event().wait()
