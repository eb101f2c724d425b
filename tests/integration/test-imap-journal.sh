#!/bin/sh
# SPDX-License-Identifier: ISC
# The journal of app/imap-account.c against the real Dovecot of the test
# bed, over TLS with the test CA, driven through tests/integration/
# imap-driver and checked with doveadm and the protocol log.  The link is
# cut by stopping Dovecot (testbed_pause) and restored (testbed_resume).
#   - A move made right after the reconnect (from inside the "opened"
#     event) waits behind the flag changes journaled while offline: they
#     reach the server first, in order, and none is reported as a
#     conflict.
#   - Flag changes journaled for mailboxes that are not open when the link
#     comes back are replayed, once the open one is in step, on a second
#     connection per mailbox that logs out when done; one whose mailbox was
#     deleted and made again (new UIDVALIDITY) is reported as a conflict
#     and not applied; one whose mailbox was deleted waits, and the user
#     is told.  None of these mailboxes is opened by the user for it.
#   - A move to a mailbox that does not exist comes back refused with
#     [TRYCREATE]; after CREATE the same move goes through.
#   - A side connection the server does not take (a forwarder lets one
#     connection through and closes the next at once): the user is told
#     that mailbox's changes wait, and they do, until it is opened.
# Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BUILDDIR:=$PONS_SRCDIR}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/server/testbed.sh"
. "$PONS_SRCDIR/tests/integration/imap-driver.sh"

testbed_tap 17 '[ -x "$DRIVER" ]'
w=$TESTBED_DIR/journal
mkdir -p "$w"
fwd_pid=
cleanup() {
	drv_kill
	[ -z "$fwd_pid" ] || kill "$fwd_pid" 2>/dev/null
	[ -z "${JOURNAL_KEEP-}" ] || cp -r "$w" "$JOURNAL_KEEP"
	testbed_stop
}
trap cleanup EXIT

msg() {	# msg SUBJECT
	printf 'From: carol@example.org\r\nTo: alice@example.org\r\nSubject: %s\r\nMessage-ID: <%s@example.org>\r\n\r\n%s text\r\n' \
	    "$1" "$1" "$1"
}
for s in Alpha Bravo Charlie Delta Echo; do
	msg "$s" | testbed_deliver alice INBOX >/dev/null
done
for s in Work1 Work2; do
	msg "$s" | testbed_deliver alice Work >/dev/null
done
msg Old1 | testbed_deliver alice Old >/dev/null
msg Gone1 | testbed_deliver alice Gone >/dev/null
testbed_create_mailbox alice Archive >/dev/null
uid_of() {	# uid_of MAILBOX WORD
	testbed_fetch_field alice uid "$1" subject "$2" 2>/dev/null
}
flags_of() {	# flags_of MAILBOX WORD
	testbed_fetch_field alice flags "$1" subject "$2" 2>/dev/null
}
# seen PATTERN: how many lines of the driver's output match so far
seen() {
	grep -c -- "$1" "$w/out"
}
# next PATTERN [SECONDS]: wait for one more line matching than before
# the last "seen_before PATTERN"
seen_before() {
	_sb=$(seen "$1")
}
next() {
	drv_wait "$1" "${2:-20}" $((_sb + 1))
}
# link_cut: stop Dovecot and wait until the driver says it is offline
link_cut() {
	seen_before '^offline temp: '
	testbed_pause >/dev/null 2>&1
	next '^offline temp: '
}
# link_restore: start Dovecot again and make the driver retry at once
link_restore() {
	testbed_resume >/dev/null 2>&1
	drv_say check
}
# until_cmd COMMAND...: polls up to 5 s for the server state
until_cmd() {
	_i=0
	until "$@"; do
		[ $_i -ge 50 ] && return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

drv_start "$w" -h 127.0.0.1 -p "$TESTBED_IMAPS_PORT" -a "$TESTBED_CA" \
    -u alice -w alice-pass-1 -t 5
drv_say "open INBOX"
drv_wait '^opened INBOX count=5$' 30
ok $? "opens INBOX with its 5 messages"

# 2-6: offline flag changes, then a move right after the reconnect
a=$(uid_of INBOX Alpha)
d=$(uid_of INBOX Delta)
link_cut &&
    drv_say "store $a +\\Flagged" && drv_say "store $d +\\Seen" &&
    drv_say "on-open move $d Archive" && drv_wait "^did store $d" 5
ok $? "offline: two flag changes are journaled"
link_restore
drv_wait "^did move $d Archive action=[0-9]" 30 &&
    drv_wait '^action [0-9]* ok' 10 3
ok $? "reconnected: the move made at once after the reopen went through"
! grep -q '^conflict' "$w/out" && ! grep -q '^action .* refused' "$w/out"
ok $? "no flag change was reported as a conflict"
grep 'C: a[0-9]* UID \(STORE\|MOVE\)' "$w/proto.log" |
    sed 's/.*C: a[0-9]* UID //' >"$w/order"
[ "$(cat "$w/order")" = "$(printf '%s\n' "STORE $a +FLAGS (\\Flagged)" \
    "STORE $d +FLAGS (\\Seen)" "MOVE $d Archive")" ]
ok $? "sent in the order made: STORE, STORE, then MOVE"
until_cmd test -n "$(uid_of Archive Delta)" &&
    flags_of Archive Delta | grep -q 'Seen' &&
    flags_of INBOX Alpha | grep -q 'Flagged' && [ -z "$(uid_of INBOX Delta)" ]
ok $? "doveadm: Delta is in Archive with \\Seen, Alpha flagged"

# 7-11: changes journaled for Old, Work and Gone while INBOX is open again
drv_say "open Work"
drv_wait '^opened Work count=2$' 20
w1=$(uid_of Work Work1)
o1=$(uid_of Old Old1)
g1=$(uid_of Gone Gone1)
drv_say "open Gone" && drv_wait '^opened Gone count=1$' 20
drv_say "open Old" && drv_wait '^opened Old count=1$' 20
uv_old=$(testbed_status alice uidvalidity Old)
link_cut &&
    drv_say "store $o1 +\\Flagged" && drv_say "open Work" &&
    drv_wait '^did open Work' 5 &&
    drv_say "store $w1 +\\Answered" && drv_say "open Gone" &&
    drv_wait '^did open Gone' 5 &&
    drv_say "store $g1 +\\Seen" && drv_say "open INBOX" &&
    drv_wait '^did open INBOX' 5
ok $? "offline: flag changes journaled for Old, Work and Gone, then INBOX opened"
# meanwhile Old is deleted and made again (a new UIDVALIDITY), and Gone
# deleted (the driver may reconnect by itself from here on)
seen_before '^opened INBOX'
testbed_resume >/dev/null 2>&1
testbed_delete_mailbox alice Old >/dev/null 2>&1
testbed_delete_mailbox alice Gone >/dev/null 2>&1
msg Old2 | testbed_deliver alice Old >/dev/null
[ "$(testbed_status alice uidvalidity Old)" != "$uv_old" ] ||
    echo "# Old kept its UIDVALIDITY $uv_old"
opens=$(seen '^opened \(Work\|Old\|Gone\)')
logouts=$(grep -c ' C: a[0-9]* LOGOUT$' "$w/proto.log")
drv_say check
next '^opened INBOX' 30 &&
    until_cmd eval 'flags_of Work Work1 | grep -q Answered' &&
    [ "$(seen '^opened \(Work\|Old\|Gone\)')" -eq "$opens" ] &&
    drv_wait '^note 1 change made offline in Work reached the server$' 10 &&
    ! grep -q '^note .* made offline in \(Old\|Gone\) reached' "$w/out"
ok $? "INBOX reopened: Work's change reached the server, Work not opened (doveadm)"
drv_wait "^conflict .*+\\\\Flagged of $o1 in Old .*UIDVALIDITY" 10 &&
    ! flags_of Old Old2 | grep -q 'Flagged' &&
    [ "$(seen '^opened \(Work\|Old\|Gone\)')" -eq "$opens" ]
ok $? "Old made again: its change is a conflict, not applied, Old not opened"
# kept: made again, Gone's next open finds it (with a new UIDVALIDITY)
drv_wait '^note changes made in Gone wait: the server would not open it: ' 10 &&
    ! grep -q "^conflict .* of $g1 in Gone" "$w/out" &&
    msg Gone2 | testbed_deliver alice Gone >/dev/null &&
    drv_say "open Gone" && drv_wait '^opened Gone count=1$' 20 &&
    drv_wait "^conflict .*+\\\\Seen of $g1 in Gone .*UIDVALIDITY" 10
ok $? "Gone deleted: the user is told its change waits; it is kept"
# each side connection logged out once its journal was empty, and left
# nothing behind: opening Work now sends no STORE
logouts_now() {
	echo $(($(grep -c ' C: a[0-9]* LOGOUT$' "$w/proto.log") - logouts))
}
sides=1
if until_cmd eval '[ "$(logouts_now)" -eq 3 ]' &&
    [ "$(grep -c 'replaying the journal of \(Work\|Old\|Gone\)$' \
    "$w/proto.log")" -eq 3 ]; then
	sides=0
else
	echo "# side connections: $(grep -c 'replaying the journal of' \
	    "$w/proto.log") started, $(logouts_now) logged out"
fi
seen_before '^opened Work count=2$'
before=$(wc -l < "$w/proto.log")
drv_say "open Work"
next '^opened Work count=2$' && sleep 0.3 &&
    ! tail -n +$((before + 1)) "$w/proto.log" | grep -q ' C: .* STORE '
[ $? -eq 0 ] && [ $sides -eq 0 ]
ok $? "the side connections logged out; opening Work replays nothing more"

# 12-15: a move to a mailbox that does not exist, then CREATE and again
b=$(uid_of INBOX Bravo)
seen_before '^opened INBOX'
drv_say "open INBOX"
next '^opened INBOX'
drv_say "move $b Nowhere"
drv_wait '^action [0-9]* refused: MOVE failed: .* \[TRYCREATE\]$' 10 &&
    [ -n "$(uid_of INBOX Bravo)" ] &&
    ! testbed_doveadm mailbox status -u alice messages Nowhere >/dev/null 2>&1
ok $? "a move to a missing mailbox: refused with [TRYCREATE], nothing moved"
drv_say "create Nowhere"
drv_wait '^did create Nowhere' 5 &&
    until_cmd eval 'testbed_doveadm mailbox status -u alice messages Nowhere >/dev/null 2>&1'
ok $? "CREATE makes it (doveadm)"
seen_before "^did move $b Nowhere"
drv_say "move $b Nowhere"
next "^did move $b Nowhere" 10 &&
    id=$(sed -n "s/^did move $b Nowhere action=//p" "$w/out" | tail -1) &&
    drv_wait "^action $id ok" 10
ok $? "the same move again goes through"
until_cmd test -n "$(uid_of Nowhere Bravo)" && [ -z "$(uid_of INBOX Bravo)" ]
ok $? "doveadm: Bravo is in Nowhere, gone from INBOX"
drv_quit

# 16-17: a change made offline in Work (no server at port 1), then INBOX
# opened through a forwarder that takes one connection and closes the
# next at once: the side connection for Work never logs in
w2=$(uid_of Work Work2)
rm -f "$w/in"
drv_start "$w" -h 127.0.0.1 -p 1 -a "$TESTBED_CA" -u alice -w alice-pass-1 \
    -t 5
drv_say "open Work" && drv_wait '^did open Work' 5 &&
    drv_say "store $w2 +\\Flagged" && drv_wait "^did store $w2" 5
drv_quit
"$TESTBED_PYTHON" "$PONS_SRCDIR/tests/integration/deadlink-forwarder.py" \
    "$TESTBED_IMAPS_PORT" "$w/port" "$w/fwd.log" 1 &
fwd_pid=$!
until_cmd test -s "$w/port"
rm -f "$w/in"
drv_start "$w" -h 127.0.0.1 -p "$(cat "$w/port")" -a "$TESTBED_CA" \
    -u alice -w alice-pass-1 -t 5
drv_say "open INBOX"
drv_wait '^opened INBOX' 30 &&
    drv_wait '^note changes made offline in Work wait: ' 10 &&
    grep -q '^refuse 2$' "$w/fwd.log" &&
    ! flags_of Work Work2 | grep -q Flagged
ok $? "a side connection refused: the user is told Work's change waits"
drv_say "open Work"
drv_wait '^opened Work count=2$' 20 &&
    until_cmd eval 'flags_of Work Work2 | grep -q Flagged'
ok $? "kept in the journal: opening Work sends it (doveadm)"
drv_quit
exit 0
