#!/bin/sh
# SPDX-License-Identifier: ISC
# The whole benchmark suite of issue 8: IMAP (scenarios 1-5 and 7) and
# POP3 (scenario 6, only N <= 10000) against the peers, pons's in-process UI
# figures (bench/bench-ui), then the report: OUTDIR/report.md (printed),
# OUTDIR/report.csv and OUTDIR/first-screen.png.
# Usage: bench/run.sh [-n N[:RUNS]]... [-r RUNS] [-o OUTDIR] [-s "PARTS"]
#   default: -n 1000 -n 10000 -n 100000 -r 5, PARTS "imap pop3 ui";
#   N:RUNS runs that N RUNS times.  From a built tree (it builds pons, the
#   minimal clients and bench-ui itself).  Never part of make check.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PONS_BUILDDIR:-$top}
ns="" runs=5 out="$build/bench/results" parts="imap pop3 ui"
while getopts n:r:o:s: opt; do
	case $opt in
	n) ns="$ns $OPTARG" ;;
	r) runs=$OPTARG ;;
	o) out=$OPTARG ;;
	s) parts=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$ns" ] || ns="1000 10000 100000"
mkdir -p "$out"
out=$(cd "$out" && pwd)
make -C "$build" pons bench-clients bench/bench-ui >/dev/null
load() { cut -d' ' -f1-3 /proc/loadavg; }
# machine.txt gathers every invocation into OUTDIR (-s runs parts apart).
for p in $parts; do
	case $p in
	imap) rm -f "$out/imap.csv" "$out/imap.log" ;;
	pop3) rm -f "$out/pop3.csv" "$out/pop3.md" ;;
	ui) rm -f "$out/bench-ui.txt" ;;
	esac
done
[ -s "$out/imap.csv" ] || [ -s "$out/pop3.csv" ] || rm -f "$out/machine.txt"
{
	echo "command: bench/run.sh $*"
	echo "pons: $(git -C "$top" describe --always --dirty 2>/dev/null || echo '?')"
	date -u '+date: %Y-%m-%d %H:%M UTC'
	echo "nproc: $(nproc)"
	grep -m1 'model name' /proc/cpuinfo || true
	echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MB"}')"
	echo "mutt: $(mutt -v 2>/dev/null | head -1)"
	echo "neomutt: $(neomutt -v 2>/dev/null | head -1)"
	echo "dovecot: $(dovecot --version 2>/dev/null)"
	echo "load before: $(load)"
} >>"$out/machine.txt"
pop_args="" imap_args=""
for nr in $ns; do
	imap_args="$imap_args -n $nr"
	# Scenario 6 is POP3 at N = 1,000 and 10,000.
	[ "${nr%%:*}" -gt 10000 ] || pop_args="$pop_args -n $nr"
done
for p in $parts; do
	case $p in
	pop3)	[ -n "$pop_args" ] || continue
		# shellcheck disable=SC2086
		sh "$top/bench/pop3.sh" $pop_args -r "$runs" -o "$out"
		echo "load after pop3: $(load)" >>"$out/machine.txt" ;;
	imap)	# shellcheck disable=SC2086
		sh "$top/bench/imap.sh" $imap_args -r "$runs" -o "$out"
		echo "load after imap: $(date -u +%H:%M) UTC $(load)" \
		    >>"$out/machine.txt" ;;
	ui)	"$build/bench/bench-ui" 1000000 >"$out/bench-ui.txt" ;;
	*)	echo "run.sh: unknown part $p" >&2; exit 2 ;;
	esac
done
py=python3
[ ! -x /usr/bin/python3 ] || py=/usr/bin/python3	# not a version manager's shim
"${TESTBED_PYTHON:-$py}" "$top/bench/report.py" "$out"
if command -v gnuplot >/dev/null; then
	gnuplot -e "dir='$out'" "$top/bench/plot.gp" &&
	    echo "plot: $out/first-screen.png"
fi
