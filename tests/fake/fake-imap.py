#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A scripted IMAP server that misbehaves on purpose, for the faults the
Dovecot test bed cannot produce.  Plain text on 127.0.0.1 (the client is
set to tls = none with allow_plaintext for it, or to starttls for the
STARTTLS modes, which never get as far as TLS).

    fake-imap.py MODE DIR

Writes its port to DIR/port and serves until killed, each connection in a
thread.  The mailbox INBOX (UIDVALIDITY 42) holds 3 messages; flags and
messages persist across connections.  It speaks just enough IMAP4rev1 for
pons: AUTHENTICATE PLAIN (SASL-IR), LOGIN, CAPABILITY, SELECT, UID SEARCH,
UID FETCH, UID STORE, IDLE, NOOP, LOGOUT.  Every line received is appended
to DIR/received as "CONN LINE"; after each change the messages are written
to DIR/state as "UID FLAGS" lines.

The fault of MODE hits the FIRST connection only; when it hangs up, a new
message ("arrived while away", the next UID) is added, so a resync can be
checked.  Modes:
    normal            no fault
    drop-mid-fetch    hang up in the middle of the header FETCH answer,
                      after the newest message's headers
    drop-mid-idle     hang up while IDLE runs
    drop-mid-command  hang up on the first UID STORE, unanswered and undone
    bye               send BYE while IDLE runs, then hang up
    silent            never answer the first SELECT (the socket stays open)
    mute-after-open   no IDLE offered; once the headers are sent, answer
                      nothing more on the first connection (only a NOOP
                      can find out)
    no-starttls       no STARTTLS in the capabilities
    starttls-refused  STARTTLS offered, answered with NO
    bad-headers       (every connection) the header fields of message 1
                      are junk and an unreadable item follows them, those
                      of message 2 are NIL
"""
import os
import re
import socket
import sys
import threading
import time

mode = sys.argv[1]
work = sys.argv[2]
lock = threading.Lock()
msgs = [{"uid": u, "flags": [], "subject": "message %d" % u}
        for u in (1, 2, 3)]
uidnext = [4]
conns = [0]


def save_state():
    with open(os.path.join(work, "state.tmp"), "w") as f:
        for m in msgs:
            f.write("%d %s\n" % (m["uid"], " ".join(m["flags"])))
    os.rename(os.path.join(work, "state.tmp"), os.path.join(work, "state"))


def add_while_away():
    with lock:
        msgs.append({"uid": uidnext[0], "flags": [],
                     "subject": "arrived while away"})
        uidnext[0] += 1
        save_state()


def uid_set(text, top):
    """UIDs of a sequence set such as 1:3,7 or 4:* (top stands for *)."""
    out = set()
    for part in text.split(","):
        a, _, b = part.partition(":")
        lo = top if a == "*" else int(a)
        hi = lo if not b else (top if b == "*" else int(b))
        lo, hi = min(lo, hi), max(lo, hi)
        out.update(range(lo, hi + 1))
    return out


def is_index_fetch(attrs):
    """The index headers: header fields (or ENVELOPE, as pons once asked)."""
    return "HEADER.FIELDS" in attrs or "ENVELOPE" in attrs


def header_block(m):
    """The header fields of m, or in bad-headers mode what a broken server
    sends: junk for message 1, NIL for message 2."""
    if mode == "bad-headers" and m["uid"] == 2:
        return "NIL"
    h = ("From: Fake <fake@example.net>\r\nSubject: %s\r\n"
         "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
         "Message-ID: <fake-%d@example.net>\r\n\r\n"
         % (m["subject"], m["uid"]))
    if mode == "bad-headers" and m["uid"] == 1:
        h = "\x01 no colon\r\n\x1b[2J\r\n\r\n"
    return "{%d}\r\n%s" % (len(h.encode()), h)


def fetch_line(seq, m, attrs):
    items = ["UID %d" % m["uid"], "FLAGS (%s)" % " ".join(m["flags"])]
    if is_index_fetch(attrs):
        items.append('INTERNALDATE "26-Nov-2026 10:00:0%d +0000"'
                     % (m["uid"] % 10))
        items.append("RFC822.SIZE %d" % (100 + m["uid"]))
    if "HEADER.FIELDS" in attrs:
        spec = attrs[attrs.index("HEADER.FIELDS"):]
        spec = spec[:spec.index("]")]
        items.append("BODY[%s] %s" % (spec, header_block(m)))
        if mode == "bad-headers" and m["uid"] == 1:
            items.append('X-BAD "unterminated')
    elif "ENVELOPE" in attrs:
        items.append('ENVELOPE ("Thu, 26 Nov 2026 10:00:00 +0000" "%s" '
                     '(("Fake" NIL "fake" "example.net")) NIL NIL NIL NIL '
                     'NIL NIL "<fake-%d@example.net>")'
                     % (m["subject"], m["uid"]))
    return "* %d FETCH (%s)\r\n" % (seq, " ".join(items))


class Conn:
    def __init__(self, sock, n):
        self.s = sock
        self.n = n
        self.f = sock.makefile("rb")
        self.fault = n == 1
        open(os.path.join(work, "received"), "a").close()
        self.mute = False

    def send(self, text):
        self.s.sendall(text.encode())

    def hangup(self):
        try:
            self.s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.s.close()
        add_while_away()

    def readline(self):
        line = self.f.readline()
        if not line:
            return None
        line = line.decode(errors="replace").rstrip("\r\n")
        with lock:
            with open(os.path.join(work, "received"), "a") as f:
                f.write("%d %s\n" % (self.n, line))
        return line

    def caps(self):
        c = "IMAP4rev1 IDLE UIDPLUS SASL-IR AUTH=PLAIN"
        if mode == "mute-after-open":
            c = c.replace(" IDLE", "")
        if mode == "starttls-refused":
            c += " STARTTLS"
        return c

    def run(self):
        try:
            self.serve()
        except OSError:
            pass    # the client went away

    def serve(self):
        self.send("* OK [CAPABILITY %s] fake ready\r\n" % self.caps())
        while True:
            line = self.readline()
            if line is None:
                return
            if self.mute:
                continue
            tag, _, rest = line.partition(" ")
            verb, _, args = rest.partition(" ")
            verb = verb.upper()
            if verb == "UID":
                sub, _, args = args.partition(" ")
                verb = "UID " + sub.upper()
            h = getattr(self, "do_" + verb.replace(" ", "_"), None)
            if h is None:
                self.send("%s BAD unknown command\r\n" % tag)
            elif h(tag, args) is False:
                return

    def do_CAPABILITY(self, tag, args):
        self.send("* CAPABILITY %s\r\n%s OK done\r\n" % (self.caps(), tag))

    def do_STARTTLS(self, tag, args):
        self.send("%s NO not today\r\n" % tag)

    def do_AUTHENTICATE(self, tag, args):
        self.send("%s OK [CAPABILITY %s] logged in\r\n" % (tag, self.caps()))

    def do_LOGIN(self, tag, args):
        self.send("%s OK [CAPABILITY %s] logged in\r\n" % (tag, self.caps()))

    def do_NOOP(self, tag, args):
        self.send("%s OK done\r\n" % tag)

    def do_LOGOUT(self, tag, args):
        self.send("* BYE bye\r\n%s OK done\r\n" % tag)
        self.s.close()
        return False

    def do_SELECT(self, tag, args):
        if self.fault and mode == "silent":
            while self.readline() is not None:
                pass
            return False
        with lock:
            self.send("* %d EXISTS\r\n* OK [UIDVALIDITY 42] x\r\n"
                      "* OK [UIDNEXT %d] x\r\n* FLAGS (\\Seen \\Flagged "
                      "\\Deleted \\Answered \\Draft)\r\n%s OK [READ-WRITE] "
                      "selected\r\n" % (len(msgs), uidnext[0], tag))

    def do_UID_SEARCH(self, tag, args):
        with lock:
            uids = " ".join(str(m["uid"]) for m in msgs)
        self.send("* SEARCH %s\r\n%s OK done\r\n" % (uids, tag))

    def do_UID_FETCH(self, tag, args):
        sset, _, attrs = args.partition(" ")
        with lock:
            top = msgs[-1]["uid"] if msgs else 1
            want = uid_set(sset, top)
            out = [fetch_line(i + 1, m, attrs) for i, m in enumerate(msgs)
                   if m["uid"] in want]
        text = "".join(out)
        if self.fault and mode == "drop-mid-fetch" and is_index_fetch(attrs):
            # newest first, as a client's newest-first chunks would get
            # them: the newest arrives whole, the one before it half
            out.reverse()
            self.send(out[0] + out[1][:len(out[1]) // 2])
            time.sleep(0.2)
            self.hangup()
            return False
        self.send(text + "%s OK done\r\n" % tag)
        if self.fault and mode == "mute-after-open" and is_index_fetch(attrs):
            self.mute = True

    def do_UID_STORE(self, tag, args):
        if self.fault and mode == "drop-mid-command":
            self.hangup()
            return False
        m = re.match(r"(\S+) ([+-])FLAGS(?:\.SILENT)? \((.*)\)", args)
        if m is None:
            self.send("%s BAD syntax\r\n" % tag)
            return
        out = []
        with lock:
            want = uid_set(m.group(1), msgs[-1]["uid"] if msgs else 1)
            for i, x in enumerate(msgs):
                if x["uid"] not in want:
                    continue
                for fl in m.group(3).split():
                    if m.group(2) == "+" and fl not in x["flags"]:
                        x["flags"].append(fl)
                    if m.group(2) == "-" and fl in x["flags"]:
                        x["flags"].remove(fl)
                out.append(fetch_line(i + 1, x, ""))
            save_state()
        self.send("".join(out) + "%s OK stored\r\n" % tag)

    def do_IDLE(self, tag, args):
        self.send("+ idling\r\n")
        if self.fault and mode in ("drop-mid-idle", "bye"):
            time.sleep(0.3)
            if mode == "bye":
                self.send("* BYE going down for maintenance\r\n")
            self.hangup()
            return False
        while True:
            line = self.readline()
            if line is None:
                return False
            if line.upper() == "DONE":
                self.send("%s OK idle done\r\n" % tag)
                return


def main():
    save_state()
    lst = socket.socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", 0))
    lst.listen(8)
    with open(os.path.join(work, "port.tmp"), "w") as f:
        f.write("%d\n" % lst.getsockname()[1])
    os.rename(os.path.join(work, "port.tmp"), os.path.join(work, "port"))
    while True:
        s, _ = lst.accept()
        conns[0] += 1
        c = Conn(s, conns[0])
        threading.Thread(target=c.run, daemon=True).start()


if __name__ == "__main__":
    main()
