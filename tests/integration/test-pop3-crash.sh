#!/bin/sh
# SPDX-License-Identifier: ISC
# Crash safety: SIGKILL `pons fetch` at random moments while it downloads a
# few hundred messages from the test bed's Dovecot, then run it again:
# every message must be in the spool exactly once, and nothing may have
# been deleted from the server that is not in the spool.  The moments come
# from a fixed seed; PONS_CRASH_TRIALS (default 20) kill-and-resume trials
# keep everything on the server, then up to 8 more delete after download.
set -u
. "$PONS_SRCDIR/tests/integration/pop3-common.sh"
tb=${TESTBED_SH:-$PONS_SRCDIR/tests/server/testbed.sh}
[ -f "$tb" ] || p3_skip_all "no test bed ($tb)"
. "$tb"
testbed_start >/dev/null || p3_skip_all "the test bed did not start"
w=$(mktemp -d /tmp/pons-pop3-crash.XXXXXX)
trap 'rm -rf "$w"; testbed_stop' EXIT
trials=${PONS_CRASH_TRIALS:-20}
seed=${PONS_CRASH_SEED:-5}
nmsg=200

testbed_seed demo $nmsg INBOX 11 >/dev/null
srv=$(testbed_maildir demo)
$P3_CHECK ids "$srv" >"$w/all.ids"
conf() {	# conf SPOOL KEEP
	p3_account c port="$TESTBED_POP3S_PORT" user=demo \
	    "password_command=echo demo-pass" ca_file="$TESTBED_CA" \
	    spool="$1" keep_on_server="$2" >"$w/c.conf"
}

# how long an uninterrupted download takes, to spread the kills over it
conf "$w/probe" yes
t0=$(date +%s%N)
p3_fetch "$w/c.conf"
t1=$(date +%s%N)
ok $p3_rc "an uninterrupted fetch of $nmsg messages works ($p3_out)"
span=$(( (t1 - t0) / 1000000 + 20 ))
delays=$(python3 -c 'import random,sys
r = random.Random(int(sys.argv[1]))
print(" ".join("%.3f" % (r.uniform(0, int(sys.argv[2]) * 1.1) / 1000)
    for _ in range(int(sys.argv[3]) + 8)))' "$seed" "$span" "$trials")

killed_fetch() {	# killed_fetch DELAY: start pons fetch, SIGKILL it
	"$PONS_BIN" -F "$w/c.conf" fetch >/dev/null 2>&1 &
	_pid=$!
	sleep "$1"
	kill -9 $_pid 2>/dev/null
	wait $_pid 2>/dev/null
}

i=0
for d in $delays; do
	i=$((i + 1))
	[ $i -le "$trials" ] || break
	rm -rf "$w/s"
	conf "$w/s" yes
	killed_fetch "$d"
	$P3_CHECK ids "$w/s" >/dev/null
	ok $? "trial $i (kill after ${d}s): nothing twice in the spool"
	p3_fetch "$w/c.conf"
	[ $p3_rc -eq 0 ] && $P3_CHECK full "$srv" "$w/s" "$w/all.ids"
	ok $? "trial $i: after a rerun every message exactly once, intact"
done

# delete after download: kill repeatedly, the server may only lose what
# the spool holds
rm -rf "$w/s"
conf "$w/s" no
bad=0
j=0
for d in $delays; do
	j=$((j + 1))
	[ $j -gt "$trials" ] || continue
	killed_fetch "$d"
	$P3_CHECK ids "$srv" >"$w/server.ids"
	$P3_CHECK ids "$w/s" >"$w/spool.ids" || bad=1
	# ids gone from the server must all be in the spool
	comm -23 "$w/all.ids" "$w/server.ids" | comm -23 - "$w/spool.ids" |
	    grep -q . && bad=1
	[ -s "$w/server.ids" ] || break
done
ok $bad "killed while deleting: nothing deleted that is not in the spool"
p3_fetch "$w/c.conf"
ok $p3_rc "the rerun completes ($p3_out)"
$P3_CHECK ids "$w/s" | cmp -s - "$w/all.ids"
ok $? "every message is in the spool exactly once"
[ "$(testbed_status demo messages INBOX)" = 0 ]
ok $? "and the server is empty"

# Every step of the spool in turn, deterministically: the fetch stops
# (as if it died) after step N of its journal, with batches of 2 and
# delete-after-download, then a normal run must leave each message once.
testbed_seed bob 5 INBOX 12 >/dev/null
$P3_CHECK ids "$(testbed_maildir bob)" >"$w/bob.ids"
cp -r "$(testbed_maildir bob)" "$w/bob-orig"
bad=0
n=0
while :; do
	n=$((n + 1))
	rm -rf "$w/b"
	testbed_doveadm expunge -u bob mailbox INBOX all >/dev/null 2>&1
	for f in "$w"/bob-orig/cur/*; do
		testbed_deliver bob INBOX "$f" || bad=1
	done
	p3_account b port="$TESTBED_POP3S_PORT" user=bob keep_on_server=no \
	    "password_command=echo bob-pass-2" ca_file="$TESTBED_CA" \
	    spool="$w/b" >"$w/b.conf"
	PONS_TEST_BATCH=2 PONS_TEST_SPOOL_STOP=$n p3_fetch "$w/b.conf"
	stopped=$p3_rc
	$P3_CHECK ids "$(testbed_maildir bob)" >"$w/bs.ids"
	$P3_CHECK ids "$w/b" >"$w/bb.ids" || bad=1
	comm -23 "$w/bob.ids" "$w/bs.ids" | comm -23 - "$w/bb.ids" |
	    grep -q . && { echo "# step $n: deleted but not in the spool"; bad=1; }
	PONS_TEST_BATCH=2 p3_fetch "$w/b.conf"
	$P3_CHECK ids "$w/b" | cmp -s - "$w/bob.ids" ||
	    { echo "# step $n: spool wrong after the rerun"; bad=1; }
	[ "$(testbed_status bob messages INBOX)" = 0 ] ||
	    { echo "# step $n: server not emptied"; bad=1; }
	[ $stopped -ne 0 ] && [ $n -lt 100 ] || break
done
ok $bad "stopped after each of the $((n - 1)) spool steps: no loss, no duplicate"
echo "1..$p3_n"
exit $p3_failed
