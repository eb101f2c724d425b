#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of `pons` against a server without QRESYNC: the test
# bed's Dovecot with CONDSTORE, QRESYNC and NOTIFY taken out of its
# capabilities, so an expunge made by another client comes as one
# untagged EXPUNGE per message (sequence numbers renumbered after each),
# not as one VANISHED.  Two thirds of the mailbox go in one doveadm
# expunge; the index must drop exactly those rows, with no key press,
# and a reopen from the cache must show the same.  Prints TAP.
set -u
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=$PONS_SRCDIR/pons}"
export PONS_SRCDIR
TESTBED_NO_QRESYNC=1
export TESTBED_NO_QRESYNC
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"
tui_testbed

total=120
i=1
while [ $i -le $total ]; do
	printf 'From: Carol <carol@example.org>\nTo: alice@example.org\nSubject: Note %03d\nMessage-ID: <note%d@example.org>\n\nnote %d\n' \
	    $i $i $i | testbed_deliver alice INBOX >/dev/null
	i=$((i + 1))
done
# the UIDs to expunge: those not divisible by 3 (80 of them)
gone="" i=1
while [ $i -le $total ]; do
	[ $((i % 3)) -eq 0 ] || gone="$gone${gone:+,}$i"
	i=$((i + 1))
done

cat >"$tmp/config" <<EOF
[ui]
threads = no
mouse = no
sort = date-received
sort_reverse = yes

$(tui_imap_account tb)
EOF
chmod 600 "$tmp/config"

start() {
	tm new-session -d -s pons -x 100 -y 40 \
		"env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		HOME=$tmp XDG_CACHE_HOME=$tmp/cache $PONS_BIN -F $tmp/config \
		-d $tmp/log$1; echo EXITED rc=\$?; sleep 60"
}
# rows_ok: the newest rows are the survivors, in order, and none of the
# expunged messages between them is left
rows_ok() {
	screen >"$tmp/screen"
	for k in 120 117 114 111 108; do
		grep -qF "Note $k" "$tmp/screen" || return 1
	done
	for k in 119 118 116 115 113 112 110 109; do
		! grep -qF "Note $k" "$tmp/screen" || return 1
	done
	[ "$(grep -o 'Note [0-9]*' "$tmp/screen" | head -3 | tr '\n' ' ')" = \
	    "Note 120 Note 117 Note 114 " ]
}

start 1
wait_for "Msgs:$total" && wait_for "connected · idle" &&
    screen | grep -qF "Note 119"
ok $? "the index shows all $total messages, the newest first"

testbed_expunge alice INBOX uid "$gone" >/dev/null 2>&1 &&
    [ "$(testbed_status alice messages INBOX 2>/dev/null)" = 40 ]
ok $? "doveadm: 80 of the $total messages expunged by another client"

wait_for "Msgs:40" 100 && rows_ok
ok $? "no key pressed: the index drops exactly the 80 expunged rows"

grep -q 'S: \* [0-9]* EXPUNGE' "$tmp/log1" &&
    ! grep -q 'S: \* VANISHED' "$tmp/log1"
ok $? "the server told them one EXPUNGE at a time (no QRESYNC)"

[ "$(grep -c 'S: \* [0-9]* EXPUNGE' "$tmp/log1")" -eq 80 ]
ok $? "80 untagged EXPUNGE answers came"

keys q
wait_for "EXITED rc=0" 50
ok $? "q leaves"
tm kill-session -t pons

# a reopen paints from the cache first; the cache must have lost them too
start 2
wait_for "Msgs:40" 100 && wait_for "connected · idle" && rows_ok
ok $? "reopened: the same 40 rows"
keys q
wait_for "EXITED rc=0" 50

tui_done
