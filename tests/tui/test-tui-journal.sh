#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of the journal across folders: the real binary in tmux
# on an IMAP account of the test bed's Dovecot (TLS with the test CA).
# Offline, a message of INBOX is flagged (the status line counts the
# changes waiting) and the user goes on to Archive.
# When the server is back, Archive opens, and INBOX's change reaches the
# server on a second connection that logs out when done (doveadm, the
# protocol log), with no key pressed, Archive still on the screen and
# INBOX never opened again.  Then the cache file is damaged: the next
# start says so, moves it aside and fills a new one.  Last, a copy with
# q (or another folder) at once behind it is made once.  Prints TAP.
set -u
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=$PONS_SRCDIR/pons}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"
tui_testbed

msg() {	# msg SUBJECT
	printf 'From: Carol <carol@example.org>\nTo: alice@example.org\nSubject: %s\nMessage-ID: <%s@example.org>\n\nThe text of %s.\n' \
	    "$1" "$(echo "$1" | tr -c 'a-zA-Z0-9\n' x)" "$1"
}
flagged() {	# flagged MAILBOX WORD
	testbed_fetch_field alice flags "$1" subject "$2" 2>/dev/null |
	    grep -qF '\Flagged'
}
for s in "Alpha report" "Bravo notes"; do
	msg "$s" | testbed_deliver alice INBOX >/dev/null
done
msg "Zulu file" | testbed_deliver alice Archive >/dev/null

cat >"$tmp/config" <<EOF2
[ui]
threads = no
mouse = no

$(tui_imap_account tb)
EOF2
chmod 600 "$tmp/config"

tui_run "$tmp" -F "$tmp/config" -a tb -d "$tmp/log"
wait_for "connected · idle" && wait_for "Bravo notes"
ok $? "the IMAP account opens on INBOX"

testbed_pause >/dev/null 2>&1
wait_for "offline"
keys /
wait_for "Search for:"
keys "Alpha" Enter
wait_gone "Search for:"
keys F
wait_cmd eval 'screen | grep -F "Alpha report" | grep -q "!"' &&
	wait_for "offline · 1 change waits — retrying in"
ok $? "offline: F flags Alpha on the screen; the status line: 1 change waits"

keys c
wait_for "Archive"
keys / ; wait_for "Search folders:"; keys "arch" Enter
wait_gone "Search folders:"
keys Enter
wait_for "tb:Archive" && ! screen | grep -qF "Alpha report" &&
	wait_for "offline · 1 change waits"
ok $? "offline: Enter opens Archive; INBOX's change still counted there"

testbed_resume >/dev/null 2>&1
wait_for "Zulu file" 900 && wait_for "connected · idle" 300 &&
	wait_cmd flagged INBOX Alpha &&
	wait_for "1 change made offline in INBOX reached the server"
ok $? "back online on Archive: INBOX's flag reached the server, and it says so"

screen | grep -qF "tb:Archive" && ! screen | grep -qF "Alpha report" &&
	! flagged INBOX Bravo && ! screen | grep -qF "change waits"
ok $? "Archive stays on the screen; nothing else changed on the server"

wait_cmd eval '[ "$(grep -c " C: a[0-9]* LOGOUT$" "$tmp/log")" -eq 1 ]' &&
	[ "$(grep -c 'replaying the journal of INBOX$' "$tmp/log")" -eq 1 ] &&
	grep -q ' C: a[0-9]* UID STORE [0-9]* +FLAGS.* (\\Flagged)' "$tmp/log"
ok $? "the log: one second connection replayed INBOX's change, then logged out"

keys q
wait_for "EXITED rc=0" 50
ok $? "q leaves"

# the cache file damaged (not a database any more): said, and made anew
db=$tmp/cache/pons/tb.imap.sqlite
tm kill-session -t "$sess"
[ -f "$db" ] && head -c 30000 /dev/zero | tr '\0' 'x' >"$db" &&
	rm -f "$db-wal" "$db-shm"
tui_run "$tmp" -F "$tmp/config" -a tb -d "$tmp/log2"
wait_for "the cache was damaged" && wait_for "Bravo notes" &&
	wait_for "connected · idle" && [ -f "$db.damaged" ] &&
	[ "$(head -c 5 "$db.damaged")" = xxxxx ]
ok $? "a damaged cache: said on the status line, moved aside, the mail shown"
keys q
wait_for "EXITED rc=0" 50
tm kill-session -t "$sess"
tui_run "$tmp" -F "$tmp/config" -a tb -d "$tmp/log3"
wait_for "Bravo notes" && wait_for "connected · idle" &&
	! screen | grep -qF "damaged" &&
	! grep -q "UID FETCH 1:\*\|FETCH 1:[0-9]* (UID FLAGS INTERNALDATE" \
	    "$tmp/log3"
ok $? "the new cache serves the next start (no full header fetch)"

# a copy, and q at once behind it: pons waits for the server's answer
# before it leaves, so the next start has nothing to send again
copies() {	# copies WORD: how many messages of Archive have it
	testbed_fetch alice uid Archive subject "$1" 2>/dev/null |
	    grep -c '^uid:'
}
keys /
wait_for "Search for:"
keys "Bravo" Enter
wait_gone "Search for:"
keys C
wait_for "Copy to folder:"
keys "Archive" Enter q
wait_for "EXITED rc=0" 100 && [ "$(copies Bravo)" = 1 ]
ok $? "C then q at once: the copy is made, once, before pons leaves"
tm kill-session -t "$sess"
tui_run "$tmp" -F "$tmp/config" -a tb -d "$tmp/log4"
wait_for "Bravo notes" && wait_for "connected · idle" && sleep 1 &&
	[ "$(copies Bravo)" = 1 ] && ! grep -q " C: .* COPY \| C: .* MOVE " \
	    "$tmp/log4"
ok $? "the next start sends it no second time"

# a copy held back (the server's imap process stopped: the copy waits
# behind the DONE of IDLE, or for its own answer), and other folders
# opened meanwhile, INBOX again last: the old INBOX connection still has
# it, and neither new connection sends it
keys /
wait_for "Search for:"
keys "Alpha" Enter
wait_gone "Search for:"
held=$(pgrep -f "dovecot-$TESTBED_INSTANCE/imap( |\$)" | tr '\n' ' ')
[ -n "$held" ] && kill -STOP $held
keys C
wait_for "Copy to folder:"
keys "Archive" Enter
sleep 0.5
sent() { grep -c " C: a[0-9]* UID COPY " "$tmp/log4"; }
keys c / arch Enter Enter
wait_for "tb:Archive" && wait_for "connected · idle" && sleep 1 &&
	[ "$(copies Alpha)" = 0 ] && keys c / inbox Enter Enter &&
	wait_for "tb:INBOX" && wait_for "connected · idle" && sleep 1 &&
	[ "$(copies Alpha)" = 0 ] && [ "$(sent)" -le 1 ]
ok $? "the copy unanswered, Archive then INBOX opened: nothing sent again"
kill -CONT $held
wait_cmd eval '[ "$(copies Alpha)" = 1 ]' && sleep 1 &&
	[ "$(copies Alpha)" = 1 ] && [ "$(sent)" = 1 ]
ok $? "then the answer comes: the copy is made once"
keys q
wait_for "EXITED rc=0" 50

tui_done
