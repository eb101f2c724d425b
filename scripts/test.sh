#!/bin/sh
# SPDX-License-Identifier: ISC
# Command 2 of the README: install what is missing, build pons twice (with
# AddressSanitizer + UndefinedBehaviorSanitizer by clang, and a plain
# -Werror build by the default compiler, gcc), run the whole test suite in
# both, and print "N passed, N failed".  Two compilers see more: clang's
# UBSan also stops at arithmetic on a NULL pointer, which gcc's lets by.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

scripts/deps.sh || exit 1
autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; exit 1; }

run_build() {	# dir configure-flags...
	dir=$1; shift
	rm -rf "$dir"; mkdir -p "$dir"
	( cd "$dir" && "$top/configure" -q "$@" && make -s -j"$jobs" ) \
		>"$dir.build.log" 2>&1 || { cat "$dir.build.log"; return 1; }
	( cd "$dir" && make -k -j"$jobs" check ) >"$dir.check.log" 2>&1
	grep -E '^(FAIL|ERROR|XPASS)' "$dir.check.log" || true
	return 0
}

status=0
run_build build-san --enable-werror --enable-sanitizers CC=clang || status=1
run_build build-plain --enable-werror || status=1

pass=0; fail=0; skip=0
for f in $(find build-san build-plain -name '*.trs' 2>/dev/null); do
	p=$(grep -c '^:test-result: PASS' "$f"); pass=$((pass + p))
	x=$(grep -c -E '^:test-result: (FAIL|ERROR|XPASS)' "$f"); fail=$((fail + x))
	s=$(grep -c '^:test-result: SKIP' "$f"); skip=$((skip + s))
done
[ "$status" -ne 0 ] && fail=$((fail + 1))
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
