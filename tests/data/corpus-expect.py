#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# Write tests/data/corpus-expect.tsv: for a sample of the shared corpus
# (every 10th file in sorted order), the fields an independent decoder
# (Python's email package, policy=default) finds.  The output was reviewed
# by eye; differences pons makes on purpose are listed in
# tests/msg/test-show-corpus.sh, not here.
#   usage: corpus-expect.py CORPUS_DIR > tests/data/corpus-expect.tsv
import email
import email.policy
import os
import sys
from datetime import timezone


def esc(s):
    if s is None:
        return "null"
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def field(msg, name):
    try:
        return msg[name]
    except Exception:
        return None


def main():
    top = sys.argv[1]
    files = sorted(os.path.relpath(os.path.join(d, f), top)
                   for d, _, fs in os.walk(top) for f in fs if f.endswith(".eml"))
    print("file\tsubject\tfrom\tdate\ttext_part")
    for rel in files[::10]:
        with open(os.path.join(top, rel), "rb") as fp:
            msg = email.message_from_binary_file(fp, policy=email.policy.default)
        subj = field(msg, "subject")
        subj = None if subj is None else str(subj)
        frm = field(msg, "from")
        addrs = []
        try:
            for a in (frm.addresses if frm is not None else ()):
                addrs.append("%s <%s>" % (a.display_name, a.addr_spec))
        except Exception:
            addrs = ["?"]
        date = field(msg, "date")
        ds = None
        try:
            if date is not None and date.datetime is not None:
                dt = date.datetime
                if dt.tzinfo is None:
                    dt = dt.replace(tzinfo=timezone.utc)
                ds = dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        except Exception:
            ds = None
        body = msg.get_body(preferencelist=("plain", "html"))
        tp = None
        if body is not None:
            for i, part in enumerate(msg.walk()):
                if part is body:
                    tp = str(i)
                    break
        print("\t".join([rel, esc(subj), esc("; ".join(addrs)), esc(ds), esc(tp)]))


main()
