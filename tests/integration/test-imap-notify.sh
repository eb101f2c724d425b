#!/bin/sh
# SPDX-License-Identifier: ISC
# NOTIFY (RFC 5465) against the test bed's Dovecot, which offers it: pons
# (`pons imap-sync -w`, INBOX open and idling) sets it once INBOX is open
# on a cold open (before, Dovecot's SELECT of a big mailbox is many times
# slower), and before the SELECT of a warm one (painted from the cache); mail
# delivered into another folder and a flag changed there reach pons as
# unsolicited STATUS (IMAP_EV_STATUS) with the new counts, with no command
# of pons's; new mail in INBOX comes with its FETCH, so pons sends no UID
# FETCH of its own.  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=$PONS_SRCDIR/pons}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/server/testbed.sh"

testbed_tap 6
w=$TESTBED_DIR/notify
mkdir -p "$w"
export XDG_CACHE_HOME=$w/cache
{
	echo '[account "tb"]'
	echo 'protocol = imap'
	echo 'host = 127.0.0.1'
	echo "port = $TESTBED_IMAPS_PORT"
	echo 'tls = implicit'
	echo 'user = alice'
	echo 'password = alice-pass-1'
	echo "ca_file = $TESTBED_CA"
} >"$w/c"
chmod 600 "$w/c"
# wait_for PATTERN FILE [SECONDS]
wait_for() {
	_i=0
	until grep -q -- "$1" "$2" 2>/dev/null; do
		[ $_i -ge $((${3:-10} * 10)) ] && return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

testbed_seed alice 2 >/dev/null
testbed_create_mailbox alice Lists >/dev/null
# -w 60: room for a loaded machine; the test stops pons once it is done
"$PONS_BIN" -F "$w/c" -d "$w/log" imap-sync -w 60 INBOX >"$w/out" 2>"$w/err" &
pid=$!
wait_for '^opened INBOX' "$w/out" && wait_for 'C: a[0-9]* IDLE' "$w/log"
sed -n '/C: a[0-9]* SELECT INBOX/,$p' "$w/log" | grep -q 'C: a[0-9]* NOTIFY SET STATUS (SELECTED (MessageNew (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ BODY.PEEK\[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)\]) MessageExpunge FlagChange)) (PERSONAL (MessageNew MessageExpunge FlagChange))$' "$w/log"
ok $? "NOTIFY SET once INBOX is open, for it and every personal folder"

printf 'From: n@example.org\r\nSubject: into lists\r\n\r\nhi\r\n' |
    testbed_deliver alice Lists >/dev/null
wait_for '^status "Lists" messages=1 unseen=1 uidnext=2$' "$w/out"
ok $? "mail delivered into another folder: STATUS with the new counts"

testbed_flag_add alice '\Seen' Lists uid 1 >/dev/null
wait_for '^status "Lists" unseen=0$' "$w/out"
ok $? "a flag changed in another folder: STATUS with the new unread count"

printf 'From: n@example.org\r\nSubject: pushed to inbox\r\n\r\nhi\r\n' |
    testbed_deliver alice INBOX >/dev/null
wait_for '^message uid=3 .*subject="pushed to inbox"' "$w/out"
ok $? "new mail in the open folder arrives with its headers"
kill -TERM $pid 2>/dev/null
wait $pid
sed -n '/NOTIFY SET/,$p' "$w/log" >"$w/after"
! grep -q 'C: a[0-9]* \(UID FETCH [0-9]*:\*\|STATUS\|NOOP\)' "$w/after"
ok $? "all of it without a command of pons's (no STATUS, NOOP, UID FETCH)"
# a warm open paints from the cache: NOTIFY goes before its SELECT
"$PONS_BIN" -F "$w/c" -d "$w/log2" imap-sync -w 60 INBOX >"$w/out2" 2>&1 &
pid=$!
wait_for '^opened INBOX' "$w/out2" && wait_for 'C: a[0-9]* IDLE' "$w/log2"
kill -TERM $pid 2>/dev/null
wait $pid
at_notify=$(grep -n 'C: a[0-9]* NOTIFY SET STATUS' "$w/log2" | cut -d: -f1)
at_select=$(grep -n 'C: a[0-9]* SELECT INBOX' "$w/log2" | cut -d: -f1)
[ -n "$at_notify" ] && [ -n "$at_select" ] &&
    [ "$at_notify" -lt "$at_select" ] && grep -q '^cached ' "$w/out2"
ok $? "a warm open sets NOTIFY before its SELECT"
[ -z "${NOTIFY_KEEP-}" ] || cp -r "$w" "$NOTIFY_KEEP"
exit 0
