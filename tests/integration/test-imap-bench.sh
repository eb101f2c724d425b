#!/bin/sh
# SPDX-License-Identifier: ISC
# Benchmark (not part of make check): opening a large IMAP INBOX from the
# test bed over TLS, cold (empty cache) and warm (nothing changed), against
# bench/min-imap, the floor.  Usage, from a build directory:
#	N=100000 sh ../tests/integration/test-imap-bench.sh
# The test bed is kept in /tmp/pons-bench-$N between runs (seeding is slow).
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=./pons}"
: "${N:=100000}"
export PONS_SRCDIR TESTBED_PERSIST=/tmp/pons-bench-$N TESTBED_NO_TRAP=1
. "$PONS_SRCDIR/tests/server/testbed.sh"
PATH=$PATH:/usr/sbin:/sbin
testbed_start >/dev/null || exit 1
trap testbed_stop EXIT
if [ ! -f "$TESTBED_PERSIST/.seeded" ]; then
	testbed_seed alice "$N" >/dev/null && touch "$TESTBED_PERSIST/.seeded"
fi
work=$(mktemp -d /tmp/pons-bench.XXXXXX)
cat >"$work/c" <<EOC
[account "tb"]
protocol = imap
host = 127.0.0.1
port = $TESTBED_IMAPS_PORT
user = alice
password = alice-pass-1
ca_file = $TESTBED_CA
EOC
chmod 600 "$work/c"
export XDG_CACHE_HOME=$work/cache
t() {	# t FILE PATTERN: the -T time of the first line matching
	grep -m1 "$2" "$1" | cut -d' ' -f1
}
run() {	# run NAME
	/usr/bin/time -f '%e %M' -o "$work/$1.time" \
	    "$PONS_BIN" -F "$work/c" imap-sync -qT INBOX >"$work/$1.out"
	li=$(t "$work/$1.out" ' logged-in')
	first=$(t "$work/$1.out" ' progress ')
	paint=$(t "$work/$1.out" ' cached ')
	op=$(t "$work/$1.out" ' opened ')
	read -r wall rss <"$work/$1.time"
	echo "$1: messages=$N logged-in=${li}ms first-screen=${first:-${paint:-?}}ms" \
	    "in-step=${op}ms wall=${wall}s maxrss=${rss}KB"
}
run cold
run warm
if [ -x bench/min-imap ] || make bench/min-imap >/dev/null 2>&1; then
	/usr/bin/time -f '%e %M' -o "$work/min.time" bench/min-imap \
	    "$TESTBED_IMAPS_PORT" "$TESTBED_CA" alice alice-pass-1 >/dev/null
	read -r wall rss <"$work/min.time"
	echo "min-imap: wall=${wall}s maxrss=${rss}KB"
fi
rm -rf "$work"
