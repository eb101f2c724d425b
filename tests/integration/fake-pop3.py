#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A scripted POP3 server that misbehaves on purpose, for the faults that
Dovecot cannot produce.  Plain text on 127.0.0.1 (pons is configured with
tls = none and allow_plaintext = yes for it only).

    fake-pop3.py MODE PORTFILE [DIR]

Writes its port to PORTFILE, then serves connections one after another
until killed.  The maildrop is 3 ordinary messages (more in some modes);
DELE marks, QUIT commits, as RFC 1939 says; the fault of MODE happens on
the FIRST connection only, so a second `pons fetch` shows the recovery.
With DIR, the bodies are also written there as DIR/N.eml (LF line ends).

Modes: normal, drop-after-retr (hang up instead of answering DELE),
drop-mid-retr (hang up in the middle of message 2), endless (message 2
never ends), silent (message 2 stops after a line and nothing more comes),
trickle (one byte of message 2 every 2 s), long-line (a 100 KB line),
dele-err (-ERR to every DELE), no-uidl, weird-uidl (UIDLs with / and ..,
one repeated), in-use (-ERR [IN-USE] to PASS), apop (only APOP logs in;
the digest is checked against the password "p").  Each accepted
connection touches PORTFILE.accepted.  quit-order (before it
answers the last RETR, waits up to 2 s for a pipelined QUIT and writes
"early" or "late" to PORTFILE.quit).
"""
import select
import hashlib
import os
import socket
import sys
import time


def make_msgs(mode):
    msgs = []
    for i in range(1, 4):
        body = ("From: fake@example.net\nSubject: message %d\n"
                "Message-ID: <fake-%d@example.net>\n\n"
                "line one of %d\n.a line that starts with a dot\n..two\n"
                ".\nend\n" % (i, i, i))
        msgs.append(["uid-%d" % i, body.encode()])
    if mode == "long-line":
        long = "".join(chr(ord("a") + k % 26) for k in range(100 * 1024))
        msgs.append(["uid-long", ("Subject: long\nMessage-ID: <long@x>\n\n"
                                  + long + "\nafter\n").encode()])
    if mode == "weird-uidl":
        msgs[0][0] = "../../etc/passwd"
        msgs[1][0] = "a/b"
        msgs[2][0] = ".."
        msgs.append(["dup", b"Subject: d1\nMessage-ID: <d1@x>\n\nd1\n"])
        msgs.append(["dup", b"Subject: d2\nMessage-ID: <d2@x>\n\nd2 longer\n"])
    return msgs


def wire(body):
    out = []
    for line in body.split(b"\n")[:-1]:
        if line.startswith(b"."):
            line = b"." + line
        out.append(line + b"\r\n")
    return b"".join(out)


class Session:
    def __init__(self, conn, msgs, first, mode, portfile):
        self.c = conn
        self.buf = b""
        self.msgs = msgs
        self.first = first
        self.mode = mode
        self.portfile = portfile
        self.marked = set()

    def more(self, timeout=None):
        """Whether a whole line is buffered, reading up to timeout s."""
        while b"\n" not in self.buf:
            if timeout is not None and \
                    not select.select([self.c], [], [], timeout)[0]:
                return False
            data = self.c.recv(4096)
            if not data:
                return False
            self.buf += data
        return True

    def readline(self):
        if not self.more():
            return b""
        line, _, self.buf = self.buf.partition(b"\n")
        return line + b"\n"

    def send(self, data):
        self.c.sendall(data)

    def ok(self, text=""):
        self.send(b"+OK " + text.encode() + b"\r\n")

    def visible(self):
        return [m for m in self.msgs if not m[2]]

    def msg(self, arg):
        try:
            n = int(arg)
            return n, self.visible()[n - 1]
        except (ValueError, IndexError):
            return None, None

    def retr(self, n, m):
        data = wire(m[1])
        fault = self.first and n == 2
        if fault and self.mode == "drop-mid-retr":
            self.ok()
            self.send(data[:len(data) // 2])
            return False
        if fault and self.mode == "endless":
            self.ok()
            while True:
                self.send(b"x" * 1000 + b"\r\n")
        if fault and self.mode == "silent":
            self.ok()
            self.send(b"Subject: silent\r\n")
            while self.c.recv(4096):
                pass
            return False
        if self.mode == "quit-order" and n == len(self.visible()):
            early = self.more(2.0) and self.buf.upper().startswith(b"QUIT")
            with open(self.portfile + ".quit", "w") as f:
                f.write("early\n" if early else "late\n")
        if fault and self.mode == "trickle":
            self.ok()
            for b in data:
                self.send(bytes([b]))
                time.sleep(2)
        self.ok("%d octets" % len(data))
        self.send(data + b".\r\n")
        return True

    def run(self):
        self.ok("fake ready <1.2@fake>")
        while True:
            line = self.readline()
            if not line:
                return
            words = line.decode("latin-1").strip().split(" ")
            cmd, arg = words[0].upper(), words[1:]
            if cmd == "CAPA":
                caps = ["USER", "PIPELINING"]
                if self.mode != "no-uidl":
                    caps.append("UIDL")
                self.send(b"+OK\r\n" + b"".join(c.encode() + b"\r\n"
                                                for c in caps) + b".\r\n")
            elif cmd == "USER" and self.mode == "apop":
                self.send(b"-ERR use APOP\r\n")
            elif cmd == "USER":
                self.ok()
            elif cmd == "APOP":
                # RFC 1939 section 7: MD5 of the greeting's timestamp + secret
                want = hashlib.md5(b"<1.2@fake>p").hexdigest()
                if len(arg) == 2 and arg[1].lower() == want:
                    self.ok("logged in")
                else:
                    self.send(b"-ERR [AUTH] wrong digest\r\n")
            elif cmd == "PASS":
                if self.mode == "in-use" and self.first:
                    self.send(b"-ERR [IN-USE] maildrop locked\r\n")
                else:
                    self.ok("logged in")
            elif cmd == "UIDL" and self.mode != "no-uidl":
                lines = b"".join(b"%d %s\r\n" % (i + 1, m[0].encode())
                                 for i, m in enumerate(self.visible()))
                self.send(b"+OK\r\n" + lines + b".\r\n")
            elif cmd == "LIST":
                lines = b"".join(b"%d %d\r\n" % (i + 1, len(wire(m[1])))
                                 for i, m in enumerate(self.visible()))
                self.send(b"+OK\r\n" + lines + b".\r\n")
            elif cmd == "RETR":
                n, m = self.msg(arg[0] if arg else "")
                if m is None:
                    self.send(b"-ERR no such message\r\n")
                elif not self.retr(n, m):
                    return
            elif cmd == "DELE":
                n, m = self.msg(arg[0] if arg else "")
                if self.mode == "drop-after-retr" and self.first:
                    return
                if self.mode == "dele-err" or m is None:
                    self.send(b"-ERR [SYS/PERM] cannot delete\r\n")
                else:
                    self.marked.add(id(m))
                    self.ok()
            elif cmd == "QUIT":
                for m in self.msgs:
                    if id(m) in self.marked:
                        m[2] = True
                self.ok("bye")
                return
            else:
                self.send(b"-ERR unknown command\r\n")


def main():
    mode, portfile = sys.argv[1], sys.argv[2]
    msgs = [[u, b, False] for u, b in make_msgs(mode)]
    if len(sys.argv) > 3:
        for i, m in enumerate(msgs):
            with open(os.path.join(sys.argv[3], "%d.eml" % (i + 1)),
                      "wb") as f:
                f.write(m[1])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    first = True
    while True:
        c, _ = s.accept()
        with open(portfile + ".accepted", "w") as f:
            f.write("yes\n")
        try:
            Session(c, msgs, first, mode, portfile).run()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            c.close()
        first = False
        with open(portfile + ".conns", "w") as f:
            f.write("done\n")


main()
