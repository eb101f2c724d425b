#!/bin/sh
# SPDX-License-Identifier: ISC
# pons's IMAP cache against the real Dovecot of the test bed, over TLS
# with the test CA: rows are stored decoded (RFC 2047 subject and sender
# name, read back as UTF-8 on a warm open without a header fetch), a
# cache file of an older schema is rebuilt by a full fetch rather than
# misread, a warm open reads the cache, not the server, and a mailbox
# bigger than the first screen's slice is painted whole, newest first,
# before it is reported opened.  A row damaged in the file (found while
# painting, before the SELECT or after it) costs a full fetch and a note,
# never a message missing from the index; a second process on the same
# cache goes without it.  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=$PONS_SRCDIR/pons}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/server/testbed.sh"
. "$PONS_SRCDIR/tests/integration/imap-driver.sh"

testbed_tap 14 'command -v python3 && [ -x "$DRIVER" ]'
work=$TESTBED_DIR/imap-cache-test
mkdir -p "$work"
export XDG_CACHE_HOME=$work/cache
db=$XDG_CACHE_HOME/pons/tb.imap.sqlite
{
	echo '[account "tb"]'
	echo 'protocol = imap'
	echo "host = 127.0.0.1"
	echo "port = $TESTBED_IMAPS_PORT"
	echo "tls = implicit"
	echo 'user = alice'
	echo 'password = alice-pass-1'
	echo "ca_file = $TESTBED_CA"
} >"$work/c"
chmod 600 "$work/c"
pons() {	# pons LOG ARGS...
	_log=$1; shift
	"$PONS_BIN" -F "$work/c" -d "$_log" imap-sync "$@" 2>"$work/stderr"
}
sql_value() {	# sql_value DB QUERY: the first column of the first row
	python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@"
}
# wait_out PATTERN FILE [SECONDS]: until a line of FILE matches (10 s)
wait_out() {
	_i=0
	until grep -q -- "$1" "$2" 2>/dev/null ||
	    [ $_i -ge $((${3:-10} * 5)) ]; do
		sleep 0.2; _i=$((_i + 1))
	done
}
printf 'From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <jm@example.org>\r\nTo: alice@example.org\r\nSubject: =?iso-8859-1?q?Gr=FC=DFe?= aus =?utf-8?b?S8O2bG4=?=\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\nMessage-ID: <enc1@pons.test>\r\n\r\nhello\r\n' >"$work/enc.eml"
printf 'From: plain@example.org\r\nTo: alice@example.org\r\nSubject: plain one\r\nDate: Mon, 3 Mar 2025 11:00:00 +0100\r\nMessage-ID: <plain1@pons.test>\r\n\r\nhello\r\n' >"$work/plain.eml"
testbed_deliver alice INBOX "$work/enc.eml" >/dev/null
testbed_deliver alice INBOX "$work/plain.eml" >/dev/null

# 1-2: cold, then warm: the rows come back decoded, without a fetch
pons "$work/l1" INBOX >"$work/o1"
ok $? "cold open exits 0"
pons "$work/l2" INBOX >"$work/o2" &&
    ! grep 'C: ' "$work/l2" | grep -v ' NOTIFY SET ' | grep -q 'HEADER\.FIELDS' &&
    grep -q '^cached uid=1 flags=([^)]*) from=Jörg Müller subject=Grüße aus Köln$' \
    "$work/o2" &&
    grep -q '^cached uid=2 flags=([^)]*) from=plain@example.org subject=plain one$' \
    "$work/o2"
ok $? "warm open: subject and sender stored decoded, no header fetch"

# 3: the file says schema 3
v=$(sql_value "$db" "PRAGMA user_version")
[ "$v" = 3 ]
ok $? "the cache file is of schema 3 (got $v)"

# 4-6: a cache left by an older pons (schema 1, undecoded rows) is
# rebuilt: a full header fetch, never its stale rows
python3 - "$db" <<'PY'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.executescript("""
DROP TABLE message;
CREATE TABLE message (mbox INTEGER NOT NULL, uid INTEGER NOT NULL,
 flags TEXT, modseq INTEGER, internaldate INTEGER, size INTEGER, date TEXT,
 subject TEXT, from_ TEXT, to_ TEXT, cc TEXT, message_id TEXT,
 in_reply_to TEXT, PRIMARY KEY (mbox, uid)) WITHOUT ROWID;
INSERT INTO message (mbox, uid, subject)
 SELECT id, 1, '=?utf-8?q?stale?=' FROM mailbox WHERE name = 'INBOX';
PRAGMA user_version = 1;
""")
d.commit()
PY
pons "$work/l3" INBOX >"$work/o3"
ok $? "open over a schema 1 cache exits 0"
! grep -q '^cached ' "$work/o3" && ! grep -q stale "$work/o3" &&
    grep -q 'C: .*UID FETCH 1:2 .*HEADER\.FIELDS' "$work/l3" &&
    grep -q '^opened INBOX count=2' "$work/o3"
ok $? "schema 1 cache: nothing stale painted, a full fetch instead"
pons "$work/l4" INBOX >"$work/o4" &&
    grep -q '^cached uid=1 flags=([^)]*) from=Jörg Müller subject=Grüße aus Köln$' \
    "$work/o4"
ok $? "after the rebuild a warm open paints decoded rows again"
# 7-8: 700 more messages: cached rows come in slices, every one of them,
# newest first, and "opened" only after the last
testbed_seed alice 700 >/dev/null
pons "$work/l5" -q INBOX >"$work/o5"
ok $? "fetch of 700 new headers exits 0"
pons "$work/l6" INBOX >"$work/o6" &&
    [ "$(grep -c '^cached uid=' "$work/o6")" = 702 ] &&
    grep '^cached uid=' "$work/o6" | sed 's/^cached uid=\([0-9]*\) .*/\1/' |
    awk 'NR == 1 && $1 != 702 { exit 1 } NR > 1 && $1 != p - 1 { exit 1 }
	{ p = $1 }' &&
    [ "$(grep -n '^cached uid=1 ' "$work/o6" | cut -d: -f1)" -lt \
    "$(grep -n '^opened INBOX count=702' "$work/o6" | cut -d: -f1)" ]
ok $? "warm open of 702: all painted, newest first, before opened"

# damage FILE: UID 1 of INBOX (the oldest: not in the first slice painted)
# gets a packed row that does not parse
damage() {
	python3 - "$1" <<'PY'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
(i,) = d.execute("SELECT id FROM mailbox WHERE name = 'INBOX'").fetchone()
n = d.execute("UPDATE message SET packed = x'ff' WHERE key = ?",
              (i << 32 | (2**32 - 1 - 1),)).rowcount
d.commit()
d.execute("PRAGMA wal_checkpoint(TRUNCATE)")
sys.exit(0 if n == 1 else 1)
PY
}
# 9-10: found by a one-shot open: said, and every row fetched again
damage "$db" && pons "$work/l7" -q INBOX >"$work/o7" &&
    grep -q '^note the cache of INBOX was damaged (.*): its messages are fetched again$' \
    "$work/o7" && grep -q '^opened INBOX count=702' "$work/o7" &&
    grep -q 'C: .*UID FETCH 1:702 .*HEADER\.FIELDS' "$work/l7"
ok $? "a damaged row: a note, a full fetch, all 702 cached again"
pons "$work/l8" INBOX >"$work/o8" &&
    [ "$(grep -c '^cached uid=' "$work/o8")" = 702 ] &&
    ! grep -q '^note' "$work/o8"
ok $? "then a warm open paints all 702 again"

# 11-12: found after the SELECT went (the driver already logged in opens
# INBOX: its later slices are painted after the SELECT left), so the
# open starts again from nothing, even on an account that does not
# reconnect (-R, like imap-sync)
w=$work/drv
mkdir -p "$w"
testbed_create_mailbox alice Work >/dev/null
cp "$db" "$w/cache.db" && damage "$w/cache.db"
ok $? "the driver's copy of the cache, damaged the same way"
drv_start "$w" -h 127.0.0.1 -p "$TESTBED_IMAPS_PORT" -a "$TESTBED_CA" \
    -u alice -w alice-pass-1 -t 5 -R
drv_say "open Work"
drv_wait '^opened Work count=0$' 30 && drv_say "open INBOX" &&
    drv_wait '^note the cache of INBOX was damaged' 20 &&
    drv_wait '^offline temp: drv: reopening INBOX' 5 &&
    drv_wait '^opened INBOX count=702$' 30 &&
    [ "$(grep -c '^opened INBOX' "$w/out")" = 1 ]
ok $? "a damaged row after the SELECT: a note, a reopen, all 702 once"
# 13: a second pons on the same cache file would send its journal's
# actions again: it goes on without the cache, and says so
{ echo "open INBOX"	# stdin open until it has opened
  wait_out '^opened INBOX' "$w/out2" 30; echo quit; } |
    timeout 60 "$DRIVER" -c "$w/cache.db" \
    -d "$w/proto2.log" -h 127.0.0.1 -p "$TESTBED_IMAPS_PORT" \
    -a "$TESTBED_CA" -u alice -w alice-pass-1 -t 5 >"$w/out2" 2>&1
grep -q '^note cache .*: in use by another pons; going on without a cache' \
    "$w/out2" && grep -q '^opened INBOX' "$w/out2" &&
    ! grep -q '^cached ' "$w/out2" &&
    [ "$(grep -c '^opened INBOX' "$w/out")" = 1 ]
ok $? "a second process on the cache: said, and it opens without it"
# 14: pons imap-sync sends what waits in the journal before it logs out:
# a flag set while no server answered (a driver on its cache, port 1)
{ echo "open INBOX"; wait_out '^did open INBOX' "$work/o14d"
  echo "store 2 +\\Flagged"; wait_out '^did store 2' "$work/o14d"
  echo quit; } | timeout 60 "$DRIVER" -c "$db" -d "$work/l14d" \
    -h 127.0.0.1 -p 1 -a "$TESTBED_CA" -u alice -w alice-pass-1 -t 5 \
    >"$work/o14d" 2>&1
journal_rows() {
	sql_value "$db" "SELECT count(*) FROM journal"
}
[ "$(journal_rows)" = 1 ] && ! testbed_flags alice INBOX 2 | grep -q Flagged &&
    pons "$work/l14" INBOX >"$work/o14" &&
    grep -q '^action [0-9]* ok$' "$work/o14" &&
    grep -q 'C: a[0-9]* UID STORE 2 +FLAGS (\\Flagged)' "$work/l14" &&
    testbed_flags alice INBOX 2 | grep -q Flagged && [ "$(journal_rows)" = 0 ]
ok $? "imap-sync sends a change journaled offline before it logs out"
drv_kill
testbed_stop
exit 0
