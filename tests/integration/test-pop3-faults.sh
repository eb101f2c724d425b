#!/bin/sh
# SPDX-License-Identifier: ISC
# pons fetch against fake-pop3.py, a server that misbehaves on purpose:
# hang-ups before DELE and inside RETR, a response that never ends, a
# silent and a trickling server (the per-response deadline), a 100 KB line,
# -ERR to DELE, no UIDL, UIDLs with / and .., [IN-USE]; and APOP, only
# when the account sets apop = yes.  Every fault hits
# the first connection only; the second fetch shows the recovery.
set -u
. "$PONS_SRCDIR/tests/integration/pop3-common.sh"
w=$(mktemp -d /tmp/pons-pop3-faults.XXXXXX)
fake_pid=
trap '[ -n "$fake_pid" ] && kill $fake_pid 2>/dev/null; rm -rf "$w"' EXIT

# start MODE [KEY=VALUE...]: a fresh fake server, spool and config
start() {
	_mode=$1; shift
	[ -n "$fake_pid" ] && kill $fake_pid 2>/dev/null && wait $fake_pid 2>/dev/null
	rm -rf "$w/s" "$w/x" "$w/port" "$w/port.quit" "$w/port.accepted"
	mkdir -p "$w/x/new" "$w/x/cur"
	python3 -S "$PONS_SRCDIR/tests/integration/fake-pop3.py" "$_mode" \
	    "$w/port" "$w/x/new" &
	fake_pid=$!
	while [ ! -s "$w/port" ]; do sleep 0.05; done
	_pw="password_command=echo p"
	case "$*" in *password_command=*) _pw= ;; esac
	p3_account fake port="$(cat "$w/port")" tls=none allow_plaintext=yes \
	    user=u ${_pw:+"$_pw"} timeout=5s spool="$w/s" "$@" \
	    >"$w/c.conf"
}

start drop-after-retr keep_on_server=no
p3_fetch "$w/c.conf"
[ $p3_rc -ne 0 ]; ok $? "hang-up instead of a DELE answer fails the run ($p3_out)"
[ "$(p3_count "$w/s")" = 3 ]; ok $? "the 3 downloaded messages are kept"
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '0 new.*3 deleted from the server'
ok $? "the rerun deletes them without downloading again ($p3_out)"
$P3_CHECK full "$w/x" "$w/s" /dev/stdin <<EOF2
<fake-1@example.net>
<fake-2@example.net>
<fake-3@example.net>
EOF2
ok $? "each exactly once, intact"

start drop-mid-retr
p3_fetch "$w/c.conf"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'middle of a response'
ok $? "a hang-up inside RETR fails the run ($p3_out)"
[ "$(p3_count "$w/s")" = 1 ]; ok $? "only the complete message is stored"
[ -z "$(ls "$w/s/tmp")" ]; ok $? "no half message left in tmp/"
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '2 new'; ok $? "the rerun fetches the other 2 ($p3_out)"
$P3_CHECK same "$w/x" "$w/s"; ok $? "all 3 intact, none twice"

start endless
p3_fetch "$w/c.conf"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'far larger'
ok $? "a RETR that never ends is cut off ($p3_out)"
[ "$(p3_count "$w/s")" = 1 ] && [ -z "$(ls "$w/s/tmp")" ]
ok $? "nothing of it is stored"
p3_fetch "$w/c.conf"
$P3_CHECK same "$w/x" "$w/s"; ok $? "the rerun completes the spool"

start silent
# message 1 is durable while pons still waits for message 2: the disk
# takes what has arrived whenever it is free (group commit), it does not
# wait for a full batch or for the end
"$PONS_BIN" -F "$w/c.conf" fetch >"$w/out" 2>&1 &
pid=$!
seen=1
for _i in $(seq 1 100); do
	kill -0 $pid 2>/dev/null || break
	[ "$(p3_count "$w/s")" = 1 ] && kill -0 $pid 2>/dev/null &&
	    { seen=0; break; }
	sleep 0.05
done
wait $pid
p3_rc=$? p3_out=$(cat "$w/out")
ok $seen "message 1 is in new/ while the fetch still waits for message 2"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'no response within 5 s'
ok $? "a server that stops answering hits the deadline ($p3_out)"
p3_fetch "$w/c.conf"
$P3_CHECK same "$w/x" "$w/s"; ok $? "the rerun completes the spool"

start trickle
p3_fetch "$w/c.conf"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'no response within 5 s'
ok $? "one byte every 2 s still hits the per-response deadline ($p3_out)"
[ "$(p3_count "$w/s")" = 1 ]; ok $? "the trickled message is not stored"
p3_fetch "$w/c.conf"
$P3_CHECK same "$w/x" "$w/s"; ok $? "the rerun completes the spool"

start long-line
p3_fetch "$w/c.conf"
ok $p3_rc "a message with a 100 KB line ($p3_out)"
$P3_CHECK same "$w/x" "$w/s"; ok $? "stored intact, not split or padded"
[ "$(awk 'length > 100000' "$w"/s/new/* | wc -l)" = 1 ]
ok $? "the line is one line of 102400 bytes"

start dele-err keep_on_server=no
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '3 new.*3 could not be deleted'
ok $? "-ERR to DELE is reported ($p3_out)"
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '0 new'; ok $? "and causes no duplicate next time"
[ "$(p3_count "$w/s")" = 3 ]; ok $? "still 3 in the spool"

start no-uidl
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '3 new.*without UIDL'
ok $? "no UIDL: everything is downloaded, and the summary says so ($p3_out)"
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '0 new.*3 duplicate'
ok $? "the next run drops the copies it recognises ($p3_out)"
$P3_CHECK same "$w/x" "$w/s"; ok $? "each message once"

start weird-uidl
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '5 new'; ok $? "UIDLs with / .. and repeats ($p3_out)"
$P3_CHECK names "$w/s" passwd && $P3_CHECK names "$w/s" dup
ok $? "no UIDL is used as a file name"
[ -z "$(find "$w" -name passwd)" ]; ok $? "nothing written outside the spool"
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '0 new'; ok $? "the rerun stores nothing new ($p3_out)"
$P3_CHECK same "$w/x" "$w/s"; ok $? "each of the 5 once"

# keep_on_server: QUIT is pipelined behind the last RETR (nothing fetched
# now can be deleted); with deletion it waits until the DELEs, which wait
# for the spool
start quit-order
p3_fetch "$w/c.conf"
ok $p3_rc "keep_on_server, QUIT pipelined: the fetch works ($p3_out)"
[ "$(cat "$w/port.quit")" = early ]
ok $? "QUIT was sent before the last RETR was answered"
$P3_CHECK same "$w/x" "$w/s"; ok $? "all 3 stored once, intact"
start quit-order keep_on_server=no
p3_fetch "$w/c.conf"
echo "$p3_out" | grep -q '3 new.*3 deleted'
ok $? "keep_on_server = no: downloaded and deleted ($p3_out)"
[ "$(cat "$w/port.quit")" = late ]
ok $? "QUIT only after the last RETR was answered"
$P3_CHECK same "$w/x" "$w/s"; ok $? "all 3 stored once, intact"

# password_command runs while pons connects: this one answers only once
# the server has a connection (else it gives up after 5 s and fails)
start normal "password_command=for i in \$(seq 100); do [ -e $w/port.accepted ] && { echo p; exit 0; }; sleep 0.05; done; exit 1"
p3_fetch "$w/c.conf"
ok $p3_rc "password_command and the connection run at once ($p3_out)"
$P3_CHECK same "$w/x" "$w/s"; ok $? "all 3 stored once, intact"
start normal "password_command=exit 3"
p3_fetch "$w/c.conf"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'password_command failed'
ok $? "a failing password_command fails the run ($p3_out)"
[ "$(p3_count "$w/s")" = 0 ]; ok $? "and nothing is stored"

start in-use
p3_fetch "$w/c.conf"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'maildrop locked'
ok $? "[IN-USE] fails the account with the server's words ($p3_out)"
p3_fetch "$w/c.conf"
ok $p3_rc "a later run works ($p3_out)"
[ "$(p3_count "$w/s")" = 3 ]; ok $? "3 messages"
start apop apop=yes
p3_fetch "$w/c.conf"
ok $p3_rc "apop = yes logs in with the APOP digest ($p3_out)"
[ "$(p3_count "$w/s")" = 3 ]; ok $? "3 messages through APOP"
start apop
p3_fetch "$w/c.conf"
[ $p3_rc -ne 0 ]; ok $? "without apop = yes, APOP is never tried ($p3_out)"
echo "1..$p3_n"
exit $p3_failed
