#!/bin/sh
# SPDX-License-Identifier: ISC
# The whole protocol benchmark suite: POP3 (scenario 6) and IMAP (1-5)
# against the peers, then the report: OUTDIR/report.md (printed),
# OUTDIR/report.csv and OUTDIR/first-screen.png.
# Usage: bench/run.sh [-n N]... [-r RUNS] [-o OUTDIR]   (from a built tree;
# it builds the minimal clients itself).  Never part of make check.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PONS_BUILDDIR:-$top}
args="" out="$build/bench/results"
while getopts n:r:o: opt; do
	case $opt in
	n) args="$args -n $OPTARG" ;;
	r) args="$args -r $OPTARG" ;;
	o) out=$OPTARG ;;
	*) exit 2 ;;
	esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
make -C "$build" pons bench-clients >/dev/null
{
	date -u '+date: %Y-%m-%d %H:%M UTC'
	echo "nproc: $(nproc)"
	echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
	grep -m1 'model name' /proc/cpuinfo || true
	echo "mutt: $(mutt -v 2>/dev/null | head -1)"
	echo "neomutt: $(neomutt -v 2>/dev/null | head -1)"
	echo "dovecot: $(dovecot --version 2>/dev/null)"
} >"$out/machine.txt"
# shellcheck disable=SC2086
sh "$top/bench/pop3.sh" $args -o "$out"
# shellcheck disable=SC2086
sh "$top/bench/imap.sh" $args -o "$out"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
py=python3
[ ! -x /usr/bin/python3 ] || py=/usr/bin/python3	# not a version manager's shim
"${TESTBED_PYTHON:-$py}" "$top/bench/report.py" "$out"
if command -v gnuplot >/dev/null; then
	gnuplot -e "dir='$out'" "$top/bench/plot.gp" &&
	    echo "plot: $out/first-screen.png"
fi
cat "$out/machine.txt"
