#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checks on a Maildir for pons's POP3 integration tests.

    pop3-check.py ids DIR...        Message-IDs of every message in the
                                    Maildirs DIR (new/ and cur/), sorted, one
                                    a line; exit 1 if one appears twice
    pop3-check.py same SERVER SPOOL the two Maildirs hold the same messages,
                                    byte for byte once CRLF is read as LF;
                                    prints what differs, exit 1 if anything
    pop3-check.py names SPOOL WORD  exit 1 if a file name contains WORD
    pop3-check.py full SERVER SPOOL IDS
                                    ids of SPOOL (unique) equal the file IDS
                                    and "same SERVER SPOOL" holds
"""
import hashlib
import os
import re
import sys


def files(d):
    for sub in ("new", "cur"):
        p = os.path.join(d, sub)
        if not os.path.isdir(p):
            continue
        for n in sorted(os.listdir(p)):
            if not n.startswith("."):
                yield os.path.join(p, n)


def read(path):
    with open(path, "rb") as f:
        return f.read().replace(b"\r\n", b"\n")


def msgid(data):
    head = data.split(b"\n\n", 1)[0]
    m = re.search(rb"^message-id:[ \t]*(.*(?:\n[ \t].*)*)", head,
                  re.I | re.M)
    return m.group(1).strip().decode("latin-1") if m else None


def ids_of(dirs):
    seen = {}
    dup = False
    for d in dirs:
        for p in files(d):
            data = read(p)
            i = msgid(data) or "no-id:" + hashlib.sha1(data).hexdigest()
            if i in seen:
                print("duplicate %s: %s and %s" % (i, seen[i], p),
                      file=sys.stderr)
                dup = True
            seen[i] = p
    return sorted(seen), dup


def cmd_full(server, spool, idfile):
    ids, dup = ids_of([spool])
    with open(idfile) as f:
        want = f.read().split("\n")[:-1]
    if ids != want:
        print("spool ids differ: %d vs %d" % (len(ids), len(want)),
              file=sys.stderr)
        return 1
    return 1 if dup else cmd_same(server, spool)


def cmd_ids(dirs):
    seen = {}
    rc = 0
    for d in dirs:
        for p in files(d):
            i = msgid(read(p)) or "no-id:" + hashlib.sha1(read(p)).hexdigest()
            if i in seen:
                print("duplicate %s: %s and %s" % (i, seen[i], p),
                      file=sys.stderr)
                rc = 1
            seen[i] = p
    for i in sorted(seen):
        print(i)
    return rc


def digests(d):
    out = {}
    for p in files(d):
        h = hashlib.sha256(read(p)).hexdigest()
        out.setdefault(h, []).append(p)
    return out


def cmd_same(server, spool):
    a, b = digests(server), digests(spool)
    rc = 0
    for h in a:
        if len(b.get(h, [])) != len(a[h]):
            print("server %s: %d in the spool" % (a[h][0], len(b.get(h, []))))
            rc = 1
    for h in b:
        if h not in a:
            print("spool %s: not on the server" % b[h][0])
            rc = 1
    return rc


def cmd_names(spool, word):
    for p in files(spool):
        if word in os.path.basename(p):
            print("file name contains %r: %s" % (word, p))
            return 1
    return 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "ids":
        return cmd_ids(sys.argv[2:])
    if len(sys.argv) == 4 and sys.argv[1] == "same":
        return cmd_same(sys.argv[2], sys.argv[3])
    if len(sys.argv) == 5 and sys.argv[1] == "full":
        return cmd_full(sys.argv[2], sys.argv[3], sys.argv[4])
    if len(sys.argv) == 4 and sys.argv[1] == "names":
        return cmd_names(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


sys.exit(main())
