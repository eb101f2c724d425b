#!/bin/sh
# SPDX-License-Identifier: ISC
# pons and the floor on a persistent bed (bench/bed.sh) of N messages:
# cold pons imap-sync against bench/min-imap, then the TUI cold and warm
# (tuiclock.py: first screen, all headers, peak RSS), RUNS times.  For N
# where bench/run.sh would spend most of its time reseeding.
# Usage: bench/big.sh BEDDIR N [RUNS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PONS_BUILDDIR:-$top}
bed=$1 n=$2 runs=${3:-1}
export PONS_SRCDIR=$top TESTBED_PERSIST=$bed TESTBED_NO_TRAP=1
. "$top/tests/server/testbed.sh"; . "$bed/env"; TESTBED_DIR=$bed
W=$bed/work; mkdir -p "$W"
marker="BENCH-MARKER-$n"
if ! testbed_doveadm search -u alice mailbox INBOX subject "$marker" 2>/dev/null | grep -q .; then
	{ printf 'From: Bench <bench@example.org>\r\nTo: alice@example.org\r\n'
	  printf 'Subject: %s\r\nDate: %s\r\nMessage-ID: <%s@bench.pons>\r\n\r\nA benchmark marker.\r\n' "$marker" "$(date -R)" "$marker"; } |
	    testbed_deliver alice INBOX
fi
all=$(testbed_status alice messages INBOX)
echo "INBOX: $all messages"
cat >"$W/pons.conf" <<EOC
[ui]
sort = date-received
sort_reverse = yes
threads = no

[account "bench"]
protocol = imap
host = localhost
port = $TESTBED_IMAPS_PORT
tls = implicit
user = alice
password_command = echo alice-pass-1
ca_file = $TESTBED_CA
EOC
PONS="env HOME=$W TERM=screen XDG_CACHE_HOME=$W/cache XDG_STATE_HOME=$W/cache/state XDG_DATA_HOME=$W/cache/data XDG_CONFIG_HOME=$W/cache/config XDG_RUNTIME_DIR=$W $build/pons -F $W/pons.conf"
t0=$(date +%s.%N); "$build/bench/min-imap" "$TESTBED_IMAPS_PORT" "$TESTBED_CA" alice alice-pass-1 >/dev/null
echo "warm-up min: $(echo "$(date +%s.%N) - $t0" | bc) s"
sock=bigbench$$
for r in $(seq "$runs"); do
	/usr/bin/time -f "run $r min all_headers %e s rss %M KB" "$build/bench/min-imap" "$TESTBED_IMAPS_PORT" "$TESTBED_CA" alice alice-pass-1 >/dev/null
	rm -rf "$W/cache"
	/usr/bin/time -f "run $r pons-sync all_headers %e s rss %M KB" $PONS imap-sync -q INBOX >/dev/null
	rm -rf "$W/cache"
	echo "run $r pons cold: $(python3 "$top/bench/tuiclock.py" --sock "$sock" --name pons --marker "$marker" --timeout $((60 + n / 100)) --all-regex "Msgs:$all\\b" -- $PONS)"
	echo "run $r pons warm: $(python3 "$top/bench/tuiclock.py" --sock "$sock" --name pons --marker "$marker" --timeout $((60 + n / 100)) --all-regex "Msgs:$all\\b" -- $PONS)"
done
tmux -L "$sock" kill-server 2>/dev/null || true
