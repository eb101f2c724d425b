#!/bin/sh
# SPDX-License-Identifier: ISC
# IMAP faults Dovecot cannot be made to produce, with tests/fake/fake-imap.py
# and app/imap-account.c (through tests/integration/imap-driver): the server
# hangs up in the middle of a FETCH, of IDLE and of a command, says BYE,
# stops answering; pons goes offline, reconnects, resyncs (the message that
# arrived meanwhile shows up), replays the change the hang-up swallowed,
# and loses nothing.  A STARTTLS account against a server without STARTTLS
# or one that refuses it: the server never receives a login.  Header
# fields that are junk or NIL still make rows.  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BUILDDIR:=$PONS_SRCDIR}"
: "${TESTBED_PYTHON:=python3}"
. "$PONS_SRCDIR/tests/integration/imap-driver.sh"

N=21
n=0
ok() {	# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; return; fi
	echo "not ok $n - $2"
	{ echo "$w"; ls -la "$w"; grep -v '^ev message' "$w/out";
	  echo "received:"; cat "$w/received" 2>/dev/null
	  echo "log:"; cat "$w/proto.log" "$w/fake.err" 2>/dev/null
	  ps -o pid,stat,wchan:20,args -p "${drv_pid:-1}"; } | sed 's/^/# /'
}
echo "1..$N"
if [ ! -x "$DRIVER" ] || ! command -v "$TESTBED_PYTHON" >/dev/null; then
	i=0
	while [ $i -lt $N ]; do i=$((i + 1)); echo "ok $i # SKIP no driver"; done
	exit 0
fi
top=$(mktemp -d /tmp/pons-imap-faults.XXXXXX)
fake_pid=
stop_all() {
	drv_kill
	if [ -n "$fake_pid" ]; then
		kill "$fake_pid" 2>/dev/null
		wait "$fake_pid" 2>/dev/null
	fi
	fake_pid=
}
trap 'stop_all; [ -n "${FAULTS_KEEP-}" ] && cp -r "$top" "$FAULTS_KEEP"; rm -rf "$top"' EXIT

# start MODE [DRIVER ARGS...]: a fresh fake server and a driver on it
start() {
	stop_all
	w=$top/$1
	mkdir -p "$w"
	"$TESTBED_PYTHON" -S "$PONS_SRCDIR/tests/fake/fake-imap.py" "$1" "$w" \
	    2>"$w/fake.err" &
	fake_pid=$!
	_i=0
	while [ ! -s "$w/port" ] && [ $_i -lt 100 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	shift
	[ $# -gt 0 ] || set -- -s none -P
	drv_start "$w" -h 127.0.0.1 -p "$(cat "$w/port")" -u u -w secret-pw \
	    -t 3 "$@"
	drv_say "open INBOX"
}
# all_there N: messages 1..N each came with their headers
all_there() {
	_u=1
	while [ $_u -le "$1" ]; do
		grep -q "^ev message uid=$_u .*subject=" "$w/out" || return 1
		_u=$((_u + 1))
	done
}

# 1-3: hang-up in the middle of the header FETCH
start drop-mid-fetch
drv_wait '^opened INBOX count=4$' 20
ok $? "drop mid-FETCH: reconnects and opens with the 4 messages"
grep -q '^offline temp: .* retry=1$' "$w/out" && all_there 4 &&
    grep -q '^ev message uid=4 .*subject="arrived while away"' "$w/out"
ok $? "drop mid-FETCH: offline, then every header, the new one too"
drv_quit
ok $? "drop mid-FETCH: logs out"

# 4-5: hang-up while IDLE runs
start drop-mid-idle
drv_wait '^opened INBOX count=4$' 20 &&
    [ "$(grep -c '^opened INBOX' "$w/out")" = 2 ]
ok $? "drop mid-IDLE: offline, reconnects, reopens"
all_there 4 && grep -q '^2 a[0-9]* IDLE$' "$w/received" && drv_quit
ok $? "drop mid-IDLE: resynced with the new message, idles again"

# 6-8: hang-up on a flag change: the change is replayed after the reconnect
start drop-mid-command
drv_wait '^opened INBOX count=3$' 20
drv_say 'store 2 +\Flagged'
drv_wait '^opened INBOX count=4$' 20
ok $? "drop mid-command: reconnects after the unanswered STORE"
_i=0
until grep -q '^2 .*\\Flagged' "$w/state" || [ $_i -ge 50 ]; do
	sleep 0.1; _i=$((_i + 1))
done
grep -q '^2 .*\\Flagged' "$w/state"
ok $? "drop mid-command: the flag change reached the server after all"
grep -q '^1 a[0-9]* UID STORE 2 +FLAGS (\\Flagged)$' "$w/received" &&
    grep -q '^2 a[0-9]* UID STORE 2 +FLAGS (\\Flagged)$' "$w/received" &&
    ! grep -q '^conflict' "$w/out" && all_there 4 && drv_quit
ok $? "drop mid-command: sent again on the new connection, nothing lost"

# 9-10: BYE
start bye
drv_wait '^opened INBOX count=4$' 20
ok $? "BYE: reconnects and reopens"
grep -q '^ev bye going down for maintenance' "$w/out" &&
    grep -q '^offline temp: .*said BYE.* retry=1$' "$w/out" && all_there 4 &&
    drv_quit
ok $? "BYE: reported, offline with a retry, resynced"

# 11-13: the server stops answering (SELECT); the loop stays responsive
start silent
sleep 0.5
drv_say check
drv_wait '^did check' 2 &&
    ! grep -q '^offline' "$w/out"
ok $? "silent server: commands are still taken while the answer is awaited"
drv_wait '^offline temp: .*did not answer within 3 s retry=1$' 10
ok $? "silent server: gives up within the timeout, offline"
drv_wait '^opened INBOX count=3$' 20 && all_there 3 && drv_quit
ok $? "silent server: reconnects and opens on the next connection"

# 14-15: a quiet mailbox without IDLE on a link that stopped answering:
# the silence is probed with NOOP, whose answer never comes
start mute-after-open
drv_wait '^offline temp: .*did not answer within 3 s retry=1$' 20 &&
    grep -q '^1 a[0-9]* NOOP$' "$w/received" &&
    ! grep -q '^1 a[0-9]* IDLE$' "$w/received"
ok $? "no IDLE, no traffic: a NOOP probes the link, unanswered: offline"
drv_wait '^opened INBOX count=3$' 20 2 && drv_quit
ok $? "no IDLE: reconnects and reopens"

# 16-17: STARTTLS wanted, not offered
start no-starttls -s starttls
drv_wait '^offline tls: .*does not offer STARTTLS.* retry=0$' 10
ok $? "no STARTTLS: stops with a clear message and no retry"
! grep -qi ' \(LOGIN\|AUTHENTICATE\)\( \|$\)' "$w/received" &&
    ! grep -q 'secret-pw\|c2VjcmV0LXB3' "$w/received"
ok $? "no STARTTLS: the server received no login"

# 18-19: STARTTLS refused
start starttls-refused -s starttls
drv_wait '^offline tls: .*refused STARTTLS.* retry=0$' 10
ok $? "STARTTLS refused: stops with a clear message and no retry"
grep -q '^1 a1 STARTTLS$' "$w/received" &&
    ! grep -qi ' \(LOGIN\|AUTHENTICATE\)\( \|$\)' "$w/received" &&
    ! grep -q 'secret-pw\|c2VjcmV0LXB3' "$w/received"
ok $? "STARTTLS refused: the server received STARTTLS and no login"
# 20-21: header fields that cannot be read (issue 4): junk, NIL and an
# answer damaged after them still make rows, and the damage is reported
start bad-headers
drv_wait '^opened INBOX count=3$' 20
ok $? "unreadable header fields: every message has its row"
grep -q '^ev message uid=1 .*size=101 date=[0-9]* header=20$' "$w/out" &&
    grep -q '^ev message uid=2 .*size=102 date=[0-9]* header=NIL$' \
    "$w/out" && grep -q '^ev warn proto: .*no header block (NIL)' "$w/out" &&
    grep -q '^ev warn proto: .*in FETCH, items after it ignored (message 1)$' \
    "$w/out" &&
    grep -q '^ev message uid=3 .*subject="message 3"$' "$w/out" && drv_quit
ok $? "unreadable header fields: junk and NIL read as empty, damage reported"
stop_all
exit 0
