#!/bin/sh
# SPDX-License-Identifier: ISC
# What app/imap-account.c knows to be on the server after a run of
# untagged EXPUNGEs, against the real Dovecot of the test bed with
# CONDSTORE, QRESYNC and NOTIFY taken out of its capabilities (so an
# expunge made elsewhere comes as one EXPUNGE per message), over TLS with
# the test CA, driven through tests/integration/imap-driver and checked
# with doveadm.  Every UID not divisible by 3 of 120 goes (runs of two,
# the first and the last but one included); a flag change on 1:120
# afterwards must be sent for exactly the 40 left (protocol log) and
# report the 80 gone as a conflict (its text is cut at 256 bytes: the
# part there must match).  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BUILDDIR:=$PONS_SRCDIR}"
export PONS_SRCDIR
TESTBED_NO_QRESYNC=1
export TESTBED_NO_QRESYNC
. "$PONS_SRCDIR/tests/server/testbed.sh"
. "$PONS_SRCDIR/tests/integration/imap-driver.sh"

testbed_tap 5 '[ -x "$DRIVER" ]'
w=$TESTBED_DIR/expunge
mkdir -p "$w"
cleanup() {
	[ -z "${EXP_KEEP-}" ] || cp -r "$w" "$EXP_KEEP"
	drv_kill
	testbed_stop
}
trap cleanup EXIT

total=120
i=1
while [ $i -le $total ]; do
	printf 'From: carol@example.org\r\nSubject: Note %d\r\n\r\nnote\r\n' $i |
	    testbed_deliver alice INBOX >/dev/null
	i=$((i + 1))
done
gone="" left="" i=1
while [ $i -le $total ]; do
	if [ $((i % 3)) -eq 0 ]; then
		left="$left${left:+,}$i"
	else
		gone="$gone${gone:+,}$i"
	fi
	i=$((i + 1))
done
# the gone UIDs as pons formats a set: 1:2,4:5,...,118:119
gone_set=$(echo "$gone" | tr ',' '\n' |
    awk 'NR > 1 && $1 == hi + 1 { hi = $1; next }
	NR > 1 { printf "%s%s", sep, (lo == hi ? lo : lo ":" hi); sep = "," }
	{ lo = hi = $1 }
	END { printf "%s%s\n", sep, (lo == hi ? lo : lo ":" hi) }')

drv_start "$w" -h 127.0.0.1 -p "$TESTBED_IMAPS_PORT" -a "$TESTBED_CA" \
    -u alice -w alice-pass-1 -t 5
drv_say "open INBOX"
drv_wait "^opened INBOX count=$total$" 30
ok $? "opens INBOX with its $total messages"

testbed_expunge alice INBOX uid "$gone" >/dev/null 2>&1 &&
    drv_wait '^ev expunge ' 20 80
ok $? "doveadm expunges 80: 80 untagged EXPUNGEs come, one per message"

! grep -q '^ev vanished' "$w/out" &&
    grep -q "C: a[0-9]* SELECT INBOX$" "$w/proto.log"
ok $? "no QRESYNC: a plain SELECT and no VANISHED"

drv_say "store 1:$total +\\Flagged"
sent() { grep -qF "UID STORE $left +FLAGS (\\Flagged)" "$w/proto.log"; }
drv_wait '^conflict ' 10 && { sent || { sleep 1; sent; }; } &&
    conf=$(sed -n 's/^conflict .* not applied: //p' "$w/out") &&
    [ ${#conf} -ge 100 ] &&
    case "$gone_set were deleted on the server meanwhile" in
    "$conf"*) true ;;
    *) false ;;
    esac
ok $? "a flag change on 1:$total: sent for the 40 left, the 80 gone a conflict"
flagged() {
	testbed_doveadm search -u alice mailbox INBOX flagged 2>/dev/null |
	    awk '{ print $2 }' | sort -n | tr '\n' ',' | sed 's/,$//'
}
_i=0
until [ "$(flagged)" = "$left" ] || [ $_i -ge 50 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
[ "$(flagged)" = "$left" ]
ok $? "doveadm: exactly the 40 left are flagged"
drv_quit
exit 0
