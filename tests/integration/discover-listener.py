#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# IMAP and POP3 listeners for tests/integration/test-discover.sh that
# append every byte a client sends to a record file, for what Dovecot
# cannot show:
#
#	discover-listener.py RECORD PORTFILE
#		clear text, logins offered but neither STARTTLS nor STLS: pons
#		must send no password (nor a login command) at all.
#	discover-listener.py RECORD PORTFILE CERT KEY USER PASSWORD
#		implicit TLS with the test bed's certificate, no SASL PLAIN:
#		IMAP LOGIN (with synchronizing literals) and POP3 USER/PASS,
#		accepted for USER and PASSWORD only.  (Dovecot offers neither
#		without PLAIN.)
#
# Listens on two free loopback ports, writes "IMAPPORT POP3PORT" to
# PORTFILE and serves until killed.
import os
import re
import socket
import ssl
import sys
import threading

record = open(sys.argv[1], "ab", buffering=0)
lock = threading.Lock()
tls = len(sys.argv) > 3
if tls:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    user = sys.argv[5].encode()
    password = sys.argv[6].encode()


def log(data):
    with lock:
        record.write(data)


def imap_login(f, conn, line):
    # LOGIN astring astring, where each may be a {n} literal.
    args = []
    rest = line.split(b" ", 2)[2]
    while len(args) < 2:
        rest = rest.lstrip(b" ")
        m = re.match(rb"\{(\d+)\}\r?\n$", rest)
        if m:
            conn.sendall(b"+ go on\r\n")
            data = f.read(int(m.group(1)))
            log(data)
            args.append(data)
            rest = f.readline()
            log(rest)
        elif rest.startswith(b'"'):
            m = re.match(rb'"((?:[^"\\]|\\.)*)"', rest)
            args.append(re.sub(rb"\\(.)", rb"\1", m.group(1)))
            rest = rest[m.end():]
        else:
            m = re.match(rb"([^ \r\n]+)", rest)
            args.append(m.group(1))
            rest = rest[m.end():]
    return args


def serve_imap(conn):
    conn.sendall(b"* OK ready\r\n")
    f = conn.makefile("rb")
    caps = b"IMAP4rev1 IDLE" if tls else b"IMAP4rev1 AUTH=PLAIN"
    while True:
        line = f.readline()
        if not line:
            break
        log(line)
        parts = line.split()
        if len(parts) < 2:
            continue
        tag, cmd = parts[0], parts[1].upper()
        if cmd == b"CAPABILITY":
            conn.sendall(b"* CAPABILITY " + caps + b"\r\n" +
                         tag + b" OK done\r\n")
        elif cmd == b"LOGOUT":
            conn.sendall(b"* BYE bye\r\n" + tag + b" OK done\r\n")
            break
        elif cmd == b"LOGIN" and tls:
            if imap_login(f, conn, line) == [user, password]:
                conn.sendall(tag + b" OK logged in\r\n")
            else:
                conn.sendall(tag + b" NO [AUTHENTICATIONFAILED] no\r\n")
        else:
            conn.sendall(tag + b" NO not here\r\n")


def serve_pop3(conn):
    conn.sendall(b"+OK ready\r\n")
    f = conn.makefile("rb")
    got_user = None
    for line in f:
        log(line)
        words = line.rstrip(b"\r\n").split(b" ", 1)
        cmd = words[0].upper()
        arg = words[1] if len(words) > 1 else b""
        if cmd == b"CAPA":
            extra = b"" if tls else b"SASL PLAIN\r\n"
            conn.sendall(b"+OK\r\nUSER\r\nUIDL\r\n" + extra + b".\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"+OK bye\r\n")
            break
        elif cmd == b"USER" and tls:
            got_user = arg
            conn.sendall(b"+OK send PASS\r\n")
        elif cmd == b"PASS" and tls:
            if got_user == user and arg == password:
                conn.sendall(b"+OK logged in\r\n")
            else:
                conn.sendall(b"-ERR [AUTH] no\r\n")
        else:
            conn.sendall(b"-ERR not here\r\n")


def handle(conn, fn):
    try:
        if tls:
            conn = ctx.wrap_socket(conn, server_side=True)
        fn(conn)
    except (OSError, ssl.SSLError):
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
