#!/bin/sh
# SPDX-License-Identifier: ISC
# pons show as a command: stdin, the text view, JSON escaping of hostile
# bytes, unreadable files (exit 1, the others still shown), usage errors
# (exit 2), and 10,000 files in one call.  Prints TAP.
set -u
tmp=${TMPDIR:-/tmp}/pons-show.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else nok "$2"; fi; }

echo "1..7"
printf 'From: A <a@example.org>\nSubject: hi\n\nbody line\n> quoted\n' \
	>"$tmp/plain.eml"
out=$("$PONS_BIN" show --width 40 - <"$tmp/plain.eml")
want=$(printf 'From: A <a@example.org>\nSubject: hi\n\nbody line\n> quoted')
[ "$out" = "$want" ]
check $? "text view from stdin"

# ESC sequences, bidi override, invalid UTF-8 and NUL in header and body.
printf 'Subject: \033]0;x\007evil \342\200\256cba\377\n' >"$tmp/evil.eml"
printf 'Content-Type: text/plain; charset=utf-8\n\n\033[2Jbody\000\377\n' \
	>>"$tmp/evil.eml"
"$PONS_BIN" show "$tmp/evil.eml" >"$tmp/evil.txt"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/evil.txt" || \
    LC_ALL=C grep -q "$(printf '\342\200\256')" "$tmp/evil.txt"; then
	nok "no ESC or bidi override reaches the text view"
else
	ok "no ESC or bidi override reaches the text view"
fi
"$PONS_BIN" show --json "$tmp/evil.eml" >"$tmp/evil.json"
python3 - "$tmp/evil.json" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert d["ok"] is True
assert "\x1b" not in d["rendered"] and "\u202e" not in d["rendered"]
assert d["text"] == "\x1b[2Jbody\x00\ufffd\n", repr(d["text"])
assert "\u202e" in d["subject"] and "\ufffd" in d["subject"]
PY
check $? "JSON escapes any byte; raw fields keep them, rendered is clean"

"$PONS_BIN" show --json "$tmp/plain.eml" "$tmp/missing.eml" \
	"$tmp/plain.eml" >"$tmp/m.json" 2>"$tmp/m.err"
rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/m.json")" -eq 3 ] && \
    grep -q 'missing.eml' "$tmp/m.err" && \
    grep -q '"ok":false' "$tmp/m.json"
check $? "an unreadable file: exit 1, reported, the others still shown"

: >"$tmp/empty.eml"
"$PONS_BIN" show --json "$tmp/empty.eml" >"$tmp/e.json" 2>/dev/null
rc=$?
[ "$rc" -eq 0 ] && grep -q '"ok":false' "$tmp/e.json"
check $? "an empty file is ok:false but not an error exit"

"$PONS_BIN" show --bogus "$tmp/plain.eml" >/dev/null 2>&1
[ $? -eq 2 ]
check $? "unknown option: exit 2"

mkdir "$tmp/many"
python3 - "$tmp/many" <<'PY'
import os, sys
for i in range(10000):
    with open(os.path.join(sys.argv[1], "m%05d.eml" % i), "w") as f:
        f.write("From: u%d@example.org\nSubject: n %d\n\nbody %d\n" % (i, i, i))
PY
(cd "$tmp/many" && set -- m*.eml && "$PONS_BIN" show --json "$@") \
	>"$tmp/many.json"
rc=$?
[ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/many.json")" -eq 10000 ] && \
    grep -q '"subject":"n 9999"' "$tmp/many.json"
check $? "10,000 files in one call"
