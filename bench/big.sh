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
. "$top/bench/common.sh"
W=$bed/work; mkdir -p "$W"
marker="BENCH-MARKER-$n"
if ! testbed_doveadm search -u alice mailbox INBOX subject "$marker" 2>/dev/null | grep -q .; then
	bench_marker_msg "$marker" | testbed_deliver alice INBOX
fi
all=$(testbed_status alice messages INBOX)
echo "INBOX: $all messages"
bench_pons_conf "$W/pons.conf"
PONS=$(bench_pons_cmd "$W" "$W/cache")
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
