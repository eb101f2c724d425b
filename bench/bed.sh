#!/bin/sh
# SPDX-License-Identifier: ISC
# A persistent test bed with N generated messages in alice's INBOX, for
# measurements outside bench/run.sh that should not reseed each time
# (N = 1,000,000: linking takes minutes and Dovecot's first index build
# about ten).  Usage: bench/bed.sh BEDDIR N; stop it with
# bench/bed.sh -s BEDDIR.  BEDDIR/env holds the test bed's variables.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PONS_BUILDDIR:-$top}
export PONS_SRCDIR=$top TESTBED_NO_TRAP=1
if [ "$1" = -s ]; then
	export TESTBED_PERSIST=$2
	. "$top/tests/server/testbed.sh"
	. "$2/env"
	TESTBED_DIR=$2
	testbed_stop
	exit 0
fi
export TESTBED_PERSIST=$1
. "$top/tests/server/testbed.sh"
. "$top/bench/common.sh"
testbed_start
testbed_doveadm expunge -u alice mailbox INBOX all >/dev/null 2>&1 || true
bench_seed alice "$2" INBOX 7
env | grep ^TESTBED_ | sed 's/^/export /' >"$1/env"
