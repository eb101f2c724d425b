#!/bin/sh
# SPDX-License-Identifier: ISC
# A link that goes silently dead, against the test bed's Dovecot over TLS:
# deadlink-forwarder.py sits between pons (app/imap-account.c, driven by
# tests/integration/imap-driver) and Dovecot and stops passing bytes
# without closing anything.  pons idles with no traffic, probes the link
# (DONE) once nothing was heard for its timeout, gives up on the silent
# answer, says it is offline, and keeps retrying.  Meanwhile flags are
# changed offline (journaled), and the server changes too (new mail, an
# expunge).  When bytes pass again pons reconnects, reselects, resyncs,
# replays the journal in order (checked with doveadm) and reports the
# change it could not replay.  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BUILDDIR:=$PONS_SRCDIR}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/server/testbed.sh"
. "$PONS_SRCDIR/tests/integration/imap-driver.sh"

testbed_tap 11 '[ -x "$DRIVER" ]'
w=$TESTBED_DIR/deadlink
mkdir -p "$w"
fwd_pid=
cleanup() {
	drv_kill
	[ -n "$fwd_pid" ] && kill "$fwd_pid" 2>/dev/null
	testbed_stop
}
trap cleanup EXIT


testbed_seed alice 3 >/dev/null
"$TESTBED_PYTHON" "$PONS_SRCDIR/tests/integration/deadlink-forwarder.py" \
    "$TESTBED_IMAPS_PORT" "$w/port" "$w/fwd.log" &
fwd_pid=$!
i=0
while [ ! -s "$w/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done

drv_start "$w" -h 127.0.0.1 -p "$(cat "$w/port")" -a "$TESTBED_CA" \
    -u alice -w alice-pass-1 -t 5

# 1: online through the forwarder, idling
drv_say "open INBOX"
drv_wait '^opened INBOX count=3$' 30 && sleep 0.5 &&
    grep -q 'C: a[0-9]* IDLE' "$w/proto.log"
ok $? "opens INBOX through the forwarder and idles"

# 2-3: the link goes silent while pons idles with nothing to say
kill -USR1 $fwd_pid
drv_wait '^offline temp: .*did not answer within 5 s retry=[0-9]' 20
ok $? "a silent link during IDLE is noticed within the timeout, offline"
sed -n '/IDLE$/,$p' "$w/proto.log" | grep -q 'C: DONE$'
ok $? "the idle connection was probed (DONE) after the silence"

# 4: actions taken offline are journaled; the server changes meanwhile
drv_say 'store 1 +\Flagged'
drv_say 'store 1 -\Flagged'
drv_say 'store 2 +\Flagged'
drv_say 'store 3 +\Seen'
testbed_expunge alice INBOX uid 3 >/dev/null
printf 'From: z@example.org\r\nSubject: while dead\r\n\r\nhi\r\n' |
    testbed_deliver alice INBOX >/dev/null
drv_wait '^did store 3' 5 &&
    [ "$(grep -c '^did store' "$w/out")" = 4 ] &&
    ! grep -q 'C: a[0-9]* UID STORE' "$w/proto.log"
ok $? "flag changes made offline are accepted and nothing is sent"
# a reconnect attempt into the silence fails within the timeout too
drv_wait '^offline temp: .* retry=[0-9]' 20 2
ok $? "a reconnect into the dead link gives up within the timeout"

# 6-11: bytes pass again
kill -USR2 $fwd_pid
drv_wait '^opened INBOX' 40 2
ok $? "reconnects and reopens INBOX once the link passes bytes again"
grep -q '^ev message uid=4 .*subject="while dead"' "$w/out" &&
    tail -1 "$w/out" | grep -q . &&
    [ "$(sed -n 's/^opened INBOX count=//p' "$w/out" | tail -1)" = \
      "$(testbed_status alice messages INBOX)" ]
ok $? "resynced: the new message is there and the index is whole"
drv_wait '^conflict ' 10
grep -q '^conflict .*+\\Seen of 3 in INBOX .*3 was deleted on the server' \
    "$w/out"
ok $? "the change to a message expunged meanwhile is reported as a conflict"
i=0
while [ $i -lt 50 ] && testbed_flags alice INBOX 2 | grep -qv Flagged; do
	sleep 0.1; i=$((i + 1))
done
testbed_flags alice INBOX 2 | grep -q 'Flagged' &&
    ! testbed_flags alice INBOX 1 | grep -q 'Flagged'
ok $? "the journal replayed in order: 1 unflagged again, 2 flagged (doveadm)"
grep 'C: a[0-9]* UID STORE' "$w/proto.log" | sed 's/.*UID STORE //' >"$w/stores"
[ "$(cat "$w/stores")" = "$(printf '%s\n' '1 +FLAGS (\Flagged)' \
    '1 -FLAGS (\Flagged)' '2 +FLAGS (\Flagged)')" ]
ok $? "replayed as three UID STOREs in the order they were made"
drv_quit && ! grep -q 'alice-pass-1' "$w/proto.log"
ok $? "logs out cleanly; no password in the protocol log"
[ -z "${DEADLINK_KEEP-}" ] || cp -r "$w" "$DEADLINK_KEEP"
exit 0
