#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Times one terminal mail client in a detached tmux of fixed size.

    tuiclock.py --sock S --name N --marker TEXT [options] -- CMD ARGS...

Launches CMD in a new tmux session on the private server S, polls the pane
every few ms and prints, as key=value words on one line:
  open=SECONDS   launch -> MARKER on screen ("fail" if it never showed,
                 "exit" if the client died first)
  all=SECONDS    with --all-regex R: launch -> R on screen, e.g. the status
                 line's "Msgs:N" once every message is in the index
  rss_kb=KB      peak resident set (VmHWM) of the client, read before the kill
With --idle PORT --ca FILE --user U --pass P a raw IMAP IDLE connection runs
beside the client, and with --new-cmd SHELL --new-subject TEXT:
  new=SECONDS    new-cmd started -> TEXT on screen, no key pressed
  new_idle=S     new-cmd started -> Dovecot's untagged EXISTS on the raw IDLE
and with --flag-cmd SHELL (run after the new message is on screen):
  flag=SECONDS   flag-cmd started -> the screen line holding TEXT changed
  flag_idle=S    flag-cmd started -> Dovecot's untagged FETCH on the raw IDLE
With --nav-keys "K1 K2..." --nav-count C --nav-done TEXT (scenario 7),
once the opened screen has been still for a second:
  nav_help=S     DONE-KEY sent -> TEXT (the help screen) on screen; then
                 QUIT-KEY leaves it again
  nav=SECONDS    C keys (K1 K2... repeated, tmux key names) and DONE-KEY sent
                 in one tmux send-keys -> TEXT on screen.  Keys are read
                 in order, so TEXT shows only after the C keys were handled.
--nav-setup TEXT is typed first (untimed, then Enter), e.g. "/~s word" so
that search-next has a pattern.
"""
import argparse
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

POLL = 0.005


class Idler(threading.Thread):
    """A raw IDLE connection; records (time, line) of untagged responses."""

    def __init__(self, port, ca, user, password):
        super().__init__(daemon=True)
        ctx = ssl.create_default_context(cafile=ca)
        raw = socket.create_connection(("127.0.0.1", port))
        self.s = ctx.wrap_socket(raw, server_hostname="localhost")
        self.f = self.s.makefile("rb")
        self.lines = []
        self.lock = threading.Lock()
        self.f.readline()
        self._cmd(b"a LOGIN " + user.encode() + b" " + password.encode())
        self._cmd(b"b SELECT INBOX")
        self.s.sendall(b"c IDLE\r\n")
        while not self.f.readline().startswith(b"+"):
            pass
        self.start()

    def _cmd(self, line):
        tag = line.split(b" ", 1)[0]
        self.s.sendall(line + b"\r\n")
        while True:
            r = self.f.readline()
            if not r:
                raise OSError("IDLE connection closed")
            if r.startswith(tag + b" "):
                if not r.startswith(tag + b" OK"):
                    raise OSError(r.decode(errors="replace"))
                return

    def run(self):
        while True:
            r = self.f.readline()
            if not r:
                return
            with self.lock:
                self.lines.append((time.monotonic(), r))

    def first_after(self, t0, pattern, timeout):
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                for t, r in self.lines:
                    if t >= t0 and rx.search(r):
                        return t
            time.sleep(POLL)
        return None


def tmux(a, *args, check=True):
    return subprocess.run(["tmux", "-L", a.sock] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          check=check).stdout.decode(errors="replace")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


class Control:
    """A tmux control-mode client: capture-pane without a process a poll.

    Spawning `tmux capture-pane` every 5 ms costs 3-4 ms of CPU each
    time: on a machine of two cores the poller alone took a third of one
    and slowed whatever it timed (bench/min-imap in a pane: 1.43x its
    time outside at 100,000 messages).  Through one control client a
    capture costs under 0.1 ms.  The client attaches to a session of its
    own that prints nothing, so no %output arrives between answers."""

    def __init__(self, a):
        self.a = a
        self.idle = a.name + "-ctl"
        tmux(a, "new-session", "-d", "-s", self.idle, "-x", "20", "-y", "5",
             "--", "sleep", "86400")
        self.p = subprocess.Popen(["tmux", "-L", a.sock, "-C", "attach",
                                   "-t", self.idle], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        # Until the client is attached, tmux 3.3a may crash if another
        # session is made ("server exited unexpectedly", 3 in 30 runs);
        # the attach itself answers first, with an empty block.
        ans = self.cmd("display-message", "-p", "ready")
        while ans != ["ready"]:
            ans = self.block()

    def cmd(self, *words):
        """Runs one command; its output lines, or None on %error."""
        self.p.stdin.write((" ".join(words) + "\n").encode())
        self.p.stdin.flush()
        return self.block()

    def block(self):
        """The next answer: its lines, None on %error; EOFError at end."""
        tag, out = None, []
        while True:
            ln = self.p.stdout.readline()
            if not ln:
                raise EOFError("tmux control client closed")
            ln = ln.decode(errors="replace").rstrip("\n")
            if tag is None:
                # notifications come between answers, never inside one
                if ln.startswith("%begin "):
                    tag = ln.split(" ", 1)[1]
                continue
            if ln in ("%end " + tag, "%error " + tag):
                return out if ln.startswith("%end") else None
            out.append(ln)

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        self.p.wait()
        tmux(self.a, "kill-session", "-t", self.idle, check=False)


def screen(a):
    try:
        lines = a.ctl.cmd("capture-pane", "-p", "-t", a.name)
    except EOFError:
        return None
    return None if lines is None else "\n".join(lines) + "\n"


def wait_for(a, pid, pred, timeout):
    """Polls the pane until pred(text) holds: the time, "exit" or None."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        s = screen(a)
        now = time.monotonic()
        if s is None or not alive(pid):
            return "exit"
        if pred(s):
            a.last = s
            return now
        time.sleep(POLL)
    return None


def settle(a, pid, quiet, timeout):
    """Waits until the pane has not changed for QUIET seconds."""
    end = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < end:
        s = screen(a)
        if s is None or not alive(pid):
            return False
        now = time.monotonic()
        if s != last:
            last, since = s, now
        elif now - since >= quiet:
            return True
        time.sleep(POLL)
    return False


def send_keys(a, *keys, literal=False):
    tmux(a, "send-keys", "-t", a.name, *(["-l"] if literal else []), *keys)


def navigate(a, pid, out):
    """Scenario 7: C navigation keys, then the help key; see the top."""
    done = lambda s: a.nav_done.lower() in s.lower()
    if not settle(a, pid, 1.0, 60):
        out.append("nav=unsettled")
        return
    if a.nav_setup:
        send_keys(a, a.nav_setup, literal=True)
        send_keys(a, "Enter")
        if not settle(a, pid, 0.5, 60):
            out.append("nav=unsettled")
            return
    # The help screen alone: what the final key costs by itself.
    t0 = time.monotonic()
    send_keys(a, a.nav_done_key)
    t = wait_for(a, pid, done, 30)
    out.append("nav_help=" + fmt(t if not isinstance(t, float) else t - t0))
    if not isinstance(t, float):
        return
    send_keys(a, a.nav_quit_key)
    t = wait_for(a, pid, lambda s: not done(s), 30)
    if not isinstance(t, float) or not settle(a, pid, 0.5, 30):
        out.append("nav=unsettled")
        return
    unit = a.nav_keys.split()
    keys = [unit[i % len(unit)] for i in range(a.nav_count)]
    t0 = time.monotonic()
    send_keys(a, *keys, a.nav_done_key)
    t = wait_for(a, pid, done, a.timeout)
    out.append("nav=" + fmt(t if not isinstance(t, float) else t - t0))


def line_with(s, text):
    for ln in s.splitlines():
        if text in ln:
            return ln
    return None


def hwm(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for ln in f:
                if ln.startswith("VmHWM:"):
                    return int(ln.split()[1])
    except OSError:
        pass
    return None


def stop(a, pid):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    end = time.monotonic() + 3
    while alive(pid) and time.monotonic() < end:
        time.sleep(0.02)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
    tmux(a, "kill-session", "-t", a.name, check=False)
    a.ctl.close()


def fmt(t):
    if t is None:
        return "fail"
    if isinstance(t, str):
        return t
    return "%.4f" % t


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sock", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--marker", required=True)
    p.add_argument("--size", default="120x40")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--idle", type=int)
    p.add_argument("--ca")
    p.add_argument("--user")
    p.add_argument("--pass", dest="password")
    p.add_argument("--new-cmd")
    p.add_argument("--new-subject")
    p.add_argument("--flag-cmd")
    p.add_argument("--all-regex")
    p.add_argument("--nav-keys")
    p.add_argument("--nav-count", type=int, default=1000)
    p.add_argument("--nav-setup")
    p.add_argument("--nav-done")
    p.add_argument("--nav-done-key", default="?")
    p.add_argument("--nav-quit-key", default="q")
    p.add_argument("--screen-log")
    p.add_argument("cmd", nargs="+")
    a = p.parse_args()
    w, h = a.size.split("x")
    out = []

    idler = None
    if a.idle and a.new_cmd:
        idler = Idler(a.idle, a.ca, a.user, a.password)

    a.ctl = Control(a)
    t0 = time.monotonic()
    pid = int(tmux(a, "new-session", "-d", "-s", a.name, "-x", w, "-y", h,
                   "-P", "-F", "#{pane_pid}", "--", *a.cmd).strip())
    t = wait_for(a, pid, lambda s: a.marker in s, a.timeout)
    out.append("open=" + fmt(t if not isinstance(t, float) else t - t0))
    ok = isinstance(t, float)

    if ok and a.all_regex:
        # The screen that showed the marker may count every message too.
        rx = re.compile(a.all_regex)
        if not rx.search(a.last):
            t = wait_for(a, pid, lambda s: rx.search(s), a.timeout)
        out.append("all=" + fmt(t if not isinstance(t, float) else t - t0))
        ok = isinstance(t, float)

    if ok and a.new_cmd:
        tn = time.monotonic()
        subprocess.run(a.new_cmd, shell=True, check=True)
        t = wait_for(a, pid, lambda s: a.new_subject in s, 30)
        ti = idler.first_after(tn, rb"^\* \d+ EXISTS", 5) if idler else None
        out.append("new=" + fmt(t if not isinstance(t, float) else t - tn))
        out.append("new_idle=" + fmt(None if ti is None else ti - tn))
        ok = isinstance(t, float)
        if ok and a.flag_cmd:
            time.sleep(0.3)	# let the client settle after the new mail
            before = line_with(screen(a) or "", a.new_subject)
            tf = time.monotonic()
            subprocess.run(a.flag_cmd, shell=True, check=True)
            t = wait_for(a, pid, lambda s: line_with(s, a.new_subject)
                         not in (before, None), 30)
            ti = idler.first_after(tf, rb"^\* \d+ FETCH", 5) if idler \
                else None
            out.append("flag=" + fmt(t if not isinstance(t, float)
                                     else t - tf))
            out.append("flag_idle=" + fmt(None if ti is None else ti - tf))

    if ok and a.nav_keys:
        navigate(a, pid, out)

    out.append("rss_kb=%s" % (hwm(pid) or "fail"))
    if a.screen_log:
        with open(a.screen_log, "w") as f:
            f.write(screen(a) or "(no pane)\n")
    stop(a, pid)
    print(" ".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
