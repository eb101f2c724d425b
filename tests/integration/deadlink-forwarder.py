#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A TCP forwarder that can make a link go silently dead, for pons's tests.

    deadlink-forwarder.py TARGET_PORT PORTFILE [LOGFILE [PASS]]

Listens on 127.0.0.1 (a free port, written to PORTFILE) and forwards every
connection to 127.0.0.1:TARGET_PORT, bytes untouched (TLS passes through,
so the client still verifies the real server).

    SIGUSR1  go silent: nothing is passed either way and nothing is closed;
             new connections are accepted and held.  What was sent waits
             in the kernel's buffers, as packets would on a dead route.
    SIGUSR2  pass bytes again.

LOGFILE gets one line per event: "accept N", "silent", "pass", "close N".
With PASS, only the first PASS connections are forwarded: each later one
is accepted and closed at once, as by a server at its connection limit
("refuse N").  Runs until killed.
"""
import select
import signal
import socket
import sys

silent = False


def on_usr1(signo, frame):
    global silent
    silent = True


def on_usr2(signo, frame):
    global silent
    silent = False


def main():
    target = int(sys.argv[1])
    logf = open(sys.argv[3], "a", buffering=1) if len(sys.argv) > 3 else None
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None

    def log(s):
        if logf:
            logf.write(s + "\n")

    signal.signal(signal.SIGUSR1, on_usr1)
    signal.signal(signal.SIGUSR2, on_usr2)
    lst = socket.socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", 0))
    lst.listen(16)
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write("%d\n" % lst.getsockname()[1])
    import os
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    peer = {}       # socket -> the other end
    ids = {}        # socket -> connection number
    n = 0
    was = False
    while True:
        if silent != was:
            was = silent
            log("silent" if silent else "pass")
        rd = [lst] + ([] if silent else list(peer))
        try:
            ready, _, _ = select.select(rd, [], [], 0.1)
        except InterruptedError:
            continue
        for s in ready:
            if s is lst:
                c, _ = lst.accept()
                n += 1
                if limit is not None and n > limit:
                    log("refuse %d" % n)
                    c.close()
                    continue
                u = socket.create_connection(("127.0.0.1", target))
                peer[c], peer[u] = u, c
                ids[c] = ids[u] = n
                log("accept %d" % n)
                continue
            if s not in peer or silent:
                continue
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            o = peer[s]
            if data:
                try:
                    o.sendall(data)
                    continue
                except OSError:
                    pass
            log("close %d" % ids[s])
            for x in (s, o):
                peer.pop(x, None)
                ids.pop(x, None)
                x.close()


if __name__ == "__main__":
    main()
