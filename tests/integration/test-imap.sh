#!/bin/sh
# SPDX-License-Identifier: ISC
# pons's IMAP against the real Dovecot of the test bed, over TLS with the
# test CA: cold and warm opens (QRESYNC, asserted on the protocol log),
# local actions checked with doveadm, remote changes seen live in IDLE,
# IDLE re-issued, STARTTLS, and the refusals.  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=$PONS_SRCDIR/pons}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/server/testbed.sh"

N=21
n=0
ok() {	# ok STATUS NAME
	n=$((n + 1))
	[ -z "${IMAP_TEST_TIMES-}" ] || echo "# $(date +%s.%N | cut -c1-14)" >&2
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
echo "1..$N"
PATH=$PATH:/usr/sbin:/sbin
if ! command -v dovecot >/dev/null; then
	i=0
	while [ $i -lt $N ]; do i=$((i + 1)); echo "ok $i # SKIP no dovecot"; done
	exit 0
fi
testbed_start >/dev/null 2>&1 || { echo "Bail out! test bed did not start"; exit 1; }
work=$TESTBED_DIR/imap-test
mkdir -p "$work"
export XDG_CACHE_HOME=$work/cache

conf() {	# conf FILE PORT TLS [extra lines]
	f=$1; shift
	{
		echo '[account "tb"]'
		echo 'protocol = imap'
		echo "host = 127.0.0.1"
		echo "port = $1"
		echo "tls = $2"
		echo 'user = alice'
		echo 'password = alice-pass-1'
		echo "ca_file = $TESTBED_CA"
		shift 2
		for l in "$@"; do echo "$l"; done
	} >"$f"
	chmod 600 "$f"
}
conf "$work/c" "$TESTBED_IMAPS_PORT" implicit
pons() {	# pons LOG ARGS...
	_log=$1; shift
	"$PONS_BIN" -F "$work/c" -d "$_log" imap-sync "$@" 2>"$work/stderr"
}
testbed_seed alice 5 >/dev/null

# 1-2: cold open fetches every header
pons "$work/l1" -l INBOX >"$work/o1"
ok $? "cold open exits 0"
[ "$(grep -c '^message uid=' "$work/o1")" = 5 ] &&
    grep -q '^opened INBOX count=5' "$work/o1" &&
    grep -q '^mailbox "Sent" delim=/ attrs=(\\Sent)' "$work/o1"
ok $? "cold open: 5 headers, the folder list with special use"

# 3-4: changes by another client, then a warm open through QRESYNC
testbed_flag_add alice '\Flagged' INBOX uid 2 >/dev/null
testbed_expunge alice INBOX uid 3 >/dev/null
pons "$work/l2" INBOX >"$work/o2"
ok $? "warm open exits 0"
grep -q 'SELECT INBOX (QRESYNC (' "$work/l2" &&
    ! grep -q 'C: .*FETCH .*HEADER\.FIELDS' "$work/l2" &&
    grep -q '^vanished earlier 3$' "$work/o2" &&
    grep -q '^message uid=2 flags=(\\Flagged \\Seen)' "$work/o2" &&
    grep -q '^opened INBOX count=4' "$work/o2" &&
    [ "$(grep -c "^cached uid=" "$work/o2")" = 5 ]
ok $? "warm open: painted from the cache, QRESYNC, no header fetch"

# 5-8: local actions reach the server (checked with doveadm)
pons "$work/l3" -x 'store 1 +\Seen' INBOX >"$work/o3"
ok $? "store exits 0"
testbed_flags alice INBOX 1 | grep -q 'Seen'
ok $? "store: \\Seen is set on the server"
pons "$work/l4" -x 'move 4 Trash' INBOX >"$work/o4" &&
    [ "$(testbed_status alice messages Trash)" = 1 ] &&
    [ -z "$(testbed_fetch_field alice uid INBOX uid 4)" ]
ok $? "move: the message left INBOX for Trash"
pons "$work/l5" -x 'store 5 +\Deleted' -x 'expunge 5' INBOX >"$work/o5" &&
    [ -z "$(testbed_fetch_field alice uid INBOX uid 5)" ] &&
    grep -q 'C: a[0-9]* UID EXPUNGE 5' "$work/l5"
ok $? "expunge: UID EXPUNGE of just that message"
[ "$(testbed_status alice messages INBOX)" = 2 ]
ok $? "server INBOX holds the 2 messages left"

# 9-12: remote changes reach pons while it idles, without input
pons "$work/l6" -w 8 INBOX >"$work/o6" &
pid=$!
i=0
while ! grep -q '^opened' "$work/o6" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
printf 'From: x@example.org\r\nSubject: live one\r\n\r\nhi\r\n' |
    testbed_deliver alice INBOX >/dev/null
sleep 1
testbed_flag_add alice '\Answered' INBOX uid 1 >/dev/null
sleep 1
testbed_expunge alice INBOX uid 2 >/dev/null
sleep 1
testbed_create_mailbox alice Projects >/dev/null
wait $pid
ok $? "watch exits 0"
grep -q 'subject="live one"' "$work/o6"
ok $? "new mail shows up live (IDLE, EXISTS, fetch)"
grep -q '^message uid=1 flags=(.*\\Answered' "$work/o6"
ok $? "a flag set elsewhere shows up live"
grep -q '^vanished 2$' "$work/o6"
ok $? "an expunge elsewhere shows up live (VANISHED)"

# 13: IDLE is re-issued before idle_restart and changes still arrive
pons "$work/l7" -R 2 -w 5 INBOX >"$work/o7" &
pid=$!
sleep 3.5
testbed_flag_add alice '\Flagged' INBOX uid 1 >/dev/null
wait $pid
[ "$(grep -c 'C: a[0-9]* IDLE' "$work/l7")" -ge 2 ] &&
    grep -q '^message uid=1 flags=(.*\\Flagged' "$work/o7"
ok $? "IDLE restarted and still live"

# 15: the server drops the connection: pons reconnects, resyncs, and sees
# what arrived meanwhile
pons "$work/l11" -w 7 INBOX >"$work/o11" &
pid=$!
i=0
while ! grep -q '^opened' "$work/o11" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
testbed_kick alice
printf 'From: y@example.org\r\nSubject: while away\r\n\r\nhi\r\n' |
    testbed_deliver alice INBOX >/dev/null
wait $pid
grep -q '^offline temp: .*(retrying)$' "$work/o11" &&
    [ "$(grep -c '^opened INBOX' "$work/o11")" = 2 ] &&
    grep -q 'subject="while away"' "$work/o11"
ok $? "reconnect after a server hangup, resync, nothing lost"

# 14: STARTTLS on the clear port
conf "$work/c" "$TESTBED_IMAP_PORT" starttls
pons "$work/l8" INBOX >"$work/o8" && grep -q 'C: a[0-9]* STARTTLS' "$work/l8"
ok $? "STARTTLS login works"

# 15: clear text without allow_plaintext: no credentials sent
conf "$work/c" "$TESTBED_IMAP_PORT" none
pons "$work/l9" INBOX >"$work/o9"
[ $? -ne 0 ] && ! grep -q 'C: .*\(AUTHENTICATE\|LOGIN\)' "$work/l9" &&
    grep -q 'refusing to send the password' "$work/o9"
ok $? "clear text refused, nothing sent"

# 16: wrong password
conf "$work/c" "$TESTBED_IMAPS_PORT" implicit
sed -i 's/alice-pass-1/wrong/' "$work/c"
timeout 20 "$PONS_BIN" -F "$work/c" imap-sync -C INBOX >"$work/o10" 2>&1
[ $? = 1 ] && grep -q '^done 1 auth: LOGIN failed' "$work/o10" &&
    grep -q '^offline auth: tb: login refused$' "$work/o10"
ok $? "a wrong password is an auth error"

# 19-20: password_command runs while pons connects (the greeting comes
# while it still waits on the gate); a failing one stops pons before any
# login
conf "$work/c" "$TESTBED_IMAPS_PORT" implicit \
    "password_command = read x < $work/gate; echo alice-pass-1"
sed -i '/^password = /d' "$work/c"
rm -f "$work/gate"
mkfifo "$work/gate"
: >"$work/o19"
timeout 30 "$PONS_BIN" -F "$work/c" -d "$work/l19" imap-sync INBOX \
    >"$work/o19" 2>&1 &
p=$!
i=0
while [ $i -lt 100 ] && ! grep -q '^need-password' "$work/o19"; do
	sleep 0.1
	i=$((i + 1))
done
waited=$(grep -c '^\(greeting\|need-password\|logged-in\)' "$work/o19")
timeout 10 sh -c 'echo go >"$1"' sh "$work/gate"
wait $p
rc=$?
[ $rc = 0 ] && [ "$waited" = 2 ] && grep -q '^logged-in' "$work/o19" &&
    grep -q '^opened INBOX count=' "$work/o19"
st=$?
ok $st "the connection goes ahead while password_command runs"
[ $st = 0 ] || { echo "# exit $rc, $waited lines before the gate opened:"
	sed 's/^/# /' "$work/o19"; }
conf "$work/c" "$TESTBED_IMAPS_PORT" implicit \
    "password_command = echo no such key >&2; exit 3"
sed -i '/^password = /d' "$work/c"
timeout 20 "$PONS_BIN" -F "$work/c" -d "$work/l12" imap-sync INBOX \
    >"$work/o12" 2>&1
[ $? = 1 ] && grep -q 'password_command failed' "$work/o12" &&
    ! grep -q 'C: .*\(AUTHENTICATE\|LOGIN\)' "$work/l12"
ok $? "a failing password_command: exit 1, its words, no login sent"

# 21: the log never holds the password
! grep -r 'alice-pass-1' "$work"/l[0-9]* >/dev/null
ok $? "no password in any protocol log"
[ -z "${IMAP_TEST_KEEP-}" ] || cp -r "$work" "$IMAP_TEST_KEEP"
testbed_stop
exit 0
