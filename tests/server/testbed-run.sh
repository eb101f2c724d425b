#!/bin/sh
# SPDX-License-Identifier: ISC
# Run one command against a fresh private Dovecot (tests/server/testbed.sh):
#	tests/server/testbed-run.sh CMD [ARGS...]
# starts the test bed, exports TESTBED_* (see testbed.sh), runs CMD, stops
# the test bed and exits with CMD's status (77, "skipped", when Dovecot is
# not installed; 99, "hard error", when it does not start).
# Environment: TESTBED_SEED="USER N [MAILBOX]" seeds a mailbox first.
[ $# -ge 1 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
TESTBED_SRC=$(cd "$(dirname "$0")" && pwd)
. "$TESTBED_SRC/testbed.sh"
PATH=$PATH:/usr/sbin:/sbin
command -v dovecot >/dev/null || { echo "testbed: dovecot missing" >&2; exit 77; }
testbed_start || exit 99
if [ -n "${TESTBED_SEED-}" ]; then
	# shellcheck disable=SC2086
	testbed_seed $TESTBED_SEED || exit 99
fi
"$@"
rc=$?
testbed_stop
exit $rc
