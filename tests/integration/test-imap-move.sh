#!/bin/sh
# SPDX-License-Identifier: ISC
# Move and copy against the real Dovecot of the test bed, over TLS with the
# test CA, driven through `pons imap-sync -x` and checked with doveadm and
# the protocol log: UID MOVE when offered; COPY + STORE \Deleted + UID
# EXPUNGE when the server offers UIDPLUS but not MOVE; COPY + STORE (no
# EXPUNGE) when it offers neither; a copy is in both mailboxes; a move to
# a mailbox that does not exist is refused and changes nothing.  The
# server's capabilities are cut down in this test's own Dovecot config.
# Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=$PONS_SRCDIR/pons}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/server/testbed.sh"

testbed_tap 12
work=$TESTBED_DIR/imap-move
mkdir -p "$work"
export XDG_CACHE_HOME=$work/cache
{
	echo '[account "tb"]'
	echo 'protocol = imap'
	echo 'host = 127.0.0.1'
	echo "port = $TESTBED_IMAPS_PORT"
	echo 'tls = implicit'
	echo 'user = alice'
	echo 'password = alice-pass-1'
	echo "ca_file = $TESTBED_CA"
} >"$work/c"
chmod 600 "$work/c"
pons() {	# pons LOG ARGS...
	_log=$1; shift
	"$PONS_BIN" -F "$work/c" -d "$_log" imap-sync -q "$@" >"$_log.out" \
	    2>"$_log.err"
}
uid_of() {	# uid_of MAILBOX WORD: the UID of the message with WORD in Subject
	testbed_fetch_field alice uid "$1" subject "$2" 2>/dev/null
}
count() { testbed_status alice messages "$1" 2>/dev/null; }
# caps LIST: from now on the server offers LIST after login (polled
# until a new login sees it)
caps() {
	printf 'protocol imap {\n  imap_capability = %s\n}\n' "$1" \
	    >>"$TESTBED_CONF"
	testbed_doveadm reload >/dev/null 2>&1
	_i=0
	while [ $_i -lt 100 ]; do
		rm -f "$work/caps"
		pons "$work/caps" INBOX
		grep -q "OK \[CAPABILITY $1\]" "$work/caps" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "# the server did not take the capabilities: $1"
	return 1
}
for s in Alpha Bravo Charlie Delta Echo; do
	printf 'From: carol@example.org\nTo: alice@example.org\nSubject: %s\nMessage-ID: <%s@example.org>\n\n%s text\n' \
	    "$s" "$s" "$s" | testbed_deliver alice INBOX >/dev/null
done
testbed_create_mailbox alice Archive >/dev/null

# 1-2: MOVE (Dovecot offers it)
u=$(uid_of INBOX Alpha)
pons "$work/l1" -x "move $u Archive" INBOX
ok $? "move exits 0"
grep -q "C: a[0-9]* UID MOVE $u Archive" "$work/l1" &&
    [ -n "$(uid_of Archive Alpha)" ] && [ -z "$(uid_of INBOX Alpha)" ] &&
    [ "$(count INBOX)" = 4 ]
ok $? "UID MOVE: in Archive, gone from INBOX"

# 3-4: copy
u=$(uid_of INBOX Bravo)
pons "$work/l2" -x "copy $u Archive" INBOX
ok $? "copy exits 0"
grep -q "C: a[0-9]* UID COPY $u Archive" "$work/l2" &&
    [ -n "$(uid_of Archive Bravo)" ] && [ -n "$(uid_of INBOX Bravo)" ] &&
    [ "$(count Archive)" = 2 ] && [ "$(count INBOX)" = 4 ]
ok $? "copy: in both mailboxes"

# 5-6: a mailbox that does not exist: refused, nothing changes
u=$(uid_of INBOX Charlie)
pons "$work/l3" -x "move $u Nowhere" INBOX
[ $? -ne 0 ] && grep -q '^done .* refused: MOVE failed: .*TRYCREATE' \
    "$work/l3.out"
ok $? "move to a missing mailbox: the server's refusal (TRYCREATE)"
[ -n "$(uid_of INBOX Charlie)" ] && [ "$(count INBOX)" = 4 ] &&
    ! grep -q "UID STORE\|EXPUNGE" "$work/l3"
ok $? "the refused move changed nothing"

# 7-9: UIDPLUS without MOVE: COPY, STORE \Deleted, UID EXPUNGE of just it
caps "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE UIDPLUS"
testbed_flag_add alice '\Deleted' INBOX subject Echo >/dev/null
u=$(uid_of INBOX Charlie)
pons "$work/l4" -x "move $u Archive" INBOX
ok $? "move without MOVE exits 0"
grep -q "C: a[0-9]* UID COPY $u Archive" "$work/l4" &&
    grep -q "C: a[0-9]* UID STORE $u +FLAGS.SILENT (\\\\Deleted)" "$work/l4" &&
    grep -q "C: a[0-9]* UID EXPUNGE $u\$" "$work/l4" &&
    ! grep -q "UID MOVE" "$work/l4"
ok $? "without MOVE: UID COPY, UID STORE \\Deleted, UID EXPUNGE"
[ -n "$(uid_of Archive Charlie)" ] && [ -z "$(uid_of INBOX Charlie)" ] &&
    [ -n "$(uid_of INBOX Echo)" ]
ok $? "without MOVE: moved, and another deleted message was not expunged"
testbed_flag_remove alice '\Deleted' INBOX subject Echo >/dev/null

# 10-12: neither MOVE nor UIDPLUS: COPY and STORE, never a plain EXPUNGE
caps "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE"
u=$(uid_of INBOX Delta)
pons "$work/l5" -x "move $u Archive" INBOX
ok $? "move without MOVE or UIDPLUS exits 0"
grep -q "C: a[0-9]* UID COPY $u Archive" "$work/l5" &&
    grep -q "C: a[0-9]* UID STORE $u +FLAGS.SILENT (\\\\Deleted)" "$work/l5" &&
    ! grep -q "EXPUNGE" "$work/l5"
ok $? "without UIDPLUS: COPY and STORE, no EXPUNGE"
[ -n "$(uid_of Archive Delta)" ] &&
    testbed_flags alice INBOX "$u" | grep -q 'Deleted'
ok $? "without UIDPLUS: the copy is in Archive, the original marked \\Deleted"
exit 0
