#!/bin/sh
# SPDX-License-Identifier: ISC
# `pons discover` against the real Dovecot of the test bed: both protocols
# found and logged in, a wrong password, a wrong CA (and no password sent),
# IMAP only, POP3 only, nothing at all, looking without a password, and a
# clear-text server without STARTTLS/STLS (a python3 listener that records
# every byte).  The candidate host is "localhost" (the certificate's name)
# and a port map points the standard ports at the test bed's.  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BUILDDIR:=$PONS_SRCDIR}"
: "${PONS_BIN:=$PONS_BUILDDIR/pons}"
export PONS_SRCDIR
testbed=$PONS_SRCDIR/tests/server/testbed.sh
total=27

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}
PATH=$PATH:/usr/sbin:/sbin
[ -f "$testbed" ] || skip_all "tests/server/testbed.sh not there"
command -v dovecot >/dev/null || skip_all "dovecot is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
[ -x "$PONS_BIN" ] || skip_all "pons not built"
. "$testbed"

n=0
ok() {	# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$out"
	fi
}
tmp=$(mktemp -d /tmp/pons-discover.XXXXXX)
out=$tmp/out
listener_pid=

echo "1..$total"
testbed_start || { echo "Bail out! testbed_start failed"; exit 1; }
trap 'testbed_stop; [ -n "$listener_pid" ] && kill "$listener_pid"; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
# A config file that exists, so pons does not read the user's own.
: >"$tmp/empty.conf"

closed=$(python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
all="993=$TESTBED_IMAPS_PORT,143=$TESTBED_IMAP_PORT,995=$TESTBED_POP3S_PORT,110=$TESTBED_POP3_PORT"
fp=$(openssl x509 -noout -fingerprint -sha256 -in "$TESTBED_CERTS/server.pem" |
    sed 's/^[^=]*=//')

disc() {	# PASSWORD|- CA PORTMAP [args...]: output in $out, status returned
	_pw=$1 _ca=$2 _map=$3
	shift 3
	if [ "$_pw" = - ]; then
		"$PONS_BIN" -F "$tmp/empty.conf" discover --timeout 5000 \
		    --ca "$_ca" --host localhost --port-map "$_map" "$@" \
		    alice@localhost >"$out" 2>&1 </dev/null
	else
		PONS_DISCOVER_PASSWORD=$_pw "$PONS_BIN" -F "$tmp/empty.conf" \
		    discover --timeout 5000 --ca "$_ca" --host localhost \
		    --port-map "$_map" "$@" alice@localhost >"$out" 2>&1 \
		    </dev/null
	fi
}
has() {
	grep -F -q -- "$1" "$out"
}
logmark() {	# remember how long Dovecot's log is
	mark=$(wc -c <"$TESTBED_LOG")
}
newlog() {	# what Dovecot logged since logmark
	tail -c +"$((mark + 1))" "$TESTBED_LOG"
}
ok_line() {	# PROTO PORT TLS: the start of a candidate's line
	printf '%-5s localhost:%s  %s  ' "$1" "$2" "$3"
}

# 1-5: both protocols, the right password.
disc alice-pass-1 "$TESTBED_CA" "$all"
rc=$?
[ $rc -eq 0 ]
ok $? "both found: exit 0"
has "$(ok_line IMAP "$TESTBED_IMAPS_PORT" "implicit TLS")certificate verified  login ok  (two-way: changes sync both ways, live)" &&
    has "$(ok_line IMAP "$TESTBED_IMAP_PORT" STARTTLS)certificate verified"
ok $? "IMAP found on both ports, login ok over implicit TLS"
has "$(ok_line POP3 "$TESTBED_POP3S_PORT" "implicit TLS")certificate verified  login ok  (one-way: mail is copied down to this computer)" &&
    has "$(ok_line POP3 "$TESTBED_POP3_PORT" STLS)certificate verified"
ok $? "POP3 found on both ports, login ok over implicit TLS"
# The test bed knows "alice", not "alice@localhost": the retry worked.
[ "$(grep -c '      user: alice$' "$out")" -eq 2 ] &&
    has "server offers: IDLE CONDSTORE QRESYNC UIDPLUS MOVE" &&
    has "server offers (before login): IDLE SASL PLAIN LOGIN" &&
    has "UIDL TOP PIPELINING USER"
ok $? "user retried as the local part; capabilities summarised"
sed -n '/^\[account/,/^$/p' "$out" >"$tmp/snippet.conf"
"$PONS_BIN" -F "$tmp/snippet.conf" --dump-config >"$tmp/dump" 2>&1 &&
    grep -q "$TESTBED_IMAPS_PORT" "$tmp/dump" &&
    grep -q '^protocol = imap$' "$tmp/snippet.conf" &&
    grep -q '^user = alice$' "$tmp/snippet.conf" &&
    has "# protocol = pop3"
ok $? "the config snippet (IMAP, POP3 as the alternative) is accepted by pons"

# 6-7: a wrong password.
logmark
disc wrong-pass "$TESTBED_CA" "$all"
[ $? -eq 1 ] &&
    has "$(ok_line IMAP "$TESTBED_IMAPS_PORT" "implicit TLS")certificate verified  login refused" &&
    has "$(ok_line POP3 "$TESTBED_POP3S_PORT" "implicit TLS")certificate verified  login refused" &&
    has "$(ok_line IMAP "$TESTBED_IMAP_PORT" STARTTLS)certificate verified  login not tried" &&
    ! has "Nothing found" && ! has "[account"
ok $? "wrong password: login refused, the servers still reported, exit 1"
# Once per user form and protocol, not on every port.
[ "$(newlog | grep -c 'Password mismatch')" -eq 2 ]
ok $? "wrong password tried once per protocol (not on every port)"

# 8-10: a CA that did not sign the server's certificate.
logmark
disc alice-pass-1 "$TESTBED_CERTS/other-ca.pem" "$all"
[ $? -eq 1 ] && [ "$(grep -c 'certificate NOT trusted (no password sent)' "$out")" -eq 4 ]
ok $? "wrong CA: all four reported with a certificate error, exit 1"
[ "$(grep -c "not trusted: .*(SHA-256 $fp)" "$out")" -eq 4 ]
ok $? "wrong CA: the error names the certificate's SHA-256 fingerprint"
sleep 0.2
newlog >"$tmp/log"
! grep -q 'passwd-file\|auth failed\|Login:\|method=' "$tmp/log" &&
    [ "$(grep -c 'no auth attempts' "$tmp/log")" -ge 4 ]
ok $? "wrong CA: Dovecot saw no login attempt at all"

# 11-13: IMAP only (the POP3 ports lead nowhere).
disc alice-pass-1 "$TESTBED_CA" "993=$TESTBED_IMAPS_PORT,143=$TESTBED_IMAP_PORT,995=$closed,110=$closed"
[ $? -eq 0 ] && has "no POP3 server found" &&
    has "This server offers IMAP only" && ! has "cannot find" &&
    has "$(ok_line IMAP "$TESTBED_IMAPS_PORT" "implicit TLS")certificate verified  login ok"
ok $? "IMAP only: presented as IMAP only, login ok, exit 0"
grep -q '^protocol = imap$' "$out" && ! has "# Or, for POP3"
ok $? "IMAP only: the snippet is IMAP, no POP3 alternative"
disc alice-pass-1 "$TESTBED_CA" "993=$TESTBED_IMAPS_PORT,143=$TESTBED_IMAP_PORT,995=0,110=0"
[ $? -eq 0 ] && has "no POP3 server found"
ok $? "IMAP only, POP3 ports skipped with 0 in the port map"

# 14-15: POP3 only.
disc alice-pass-1 "$TESTBED_CA" "993=$closed,143=$closed,995=$TESTBED_POP3S_PORT,110=$TESTBED_POP3_PORT"
[ $? -eq 0 ] && has "no IMAP server found" &&
    has "This server offers POP3 only: pons will copy your mail down" &&
    has "$(ok_line POP3 "$TESTBED_POP3S_PORT" "implicit TLS")certificate verified  login ok"
ok $? "POP3 only: presented as POP3 only, login ok, exit 0"
grep -q '^protocol = pop3$' "$out" && grep -q "^port = $TESTBED_POP3S_PORT\$" "$out" &&
    grep -q '^tls = implicit$' "$out"
ok $? "POP3 only: the snippet is POP3 over implicit TLS"

# 16: nothing listens.
disc alice-pass-1 "$TESTBED_CA" "993=$closed,143=$closed,995=$closed,110=$closed"
[ $? -eq 1 ] && has "Nothing found: no IMAP or POP3 server answered for alice@localhost (4 places tried)" &&
    has "refused"
ok $? "nothing listening: \"Nothing found\", with the reason, exit 1"

# 17-18: only looking.
logmark
disc - "$TESTBED_CA" "$all" --no-login
[ $? -eq 0 ] && has "$(ok_line IMAP "$TESTBED_IMAPS_PORT" "implicit TLS")certificate verified  (two-way" &&
    ! has "login ok" && ! has "login not tried" && grep -q '^user = alice@localhost$' "$out"
ok $? "--no-login: servers found, nothing about logins, exit 0"
sleep 0.2
! newlog | grep -q 'passwd-file\|method='
ok $? "--no-login: Dovecot saw no login attempt"

# 19: the password on stdin (not a terminal).
echo alice-pass-1 | "$PONS_BIN" -F "$tmp/empty.conf" discover --ca "$TESTBED_CA" \
    --host localhost --port-map "993=$TESTBED_IMAPS_PORT,143=0,995=0,110=0" \
    alice@localhost >"$out" 2>&1
[ $? -eq 0 ] && has "login ok"
ok $? "password read from stdin"

# 20-21: a clear-text server offering logins but no STARTTLS / STLS.
python3 "$PONS_SRCDIR/tests/integration/discover-listener.py" \
    "$tmp/record" "$tmp/ports" &
listener_pid=$!
i=0
while [ ! -f "$tmp/ports" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
set -- $(cat "$tmp/ports")
disc alice-pass-1 "$TESTBED_CA" "993=0,143=$1,995=0,110=$2"
[ $? -eq 1 ] && has "the server offers no STARTTLS: pons will not log in without TLS" &&
    has "the server offers no STLS: pons will not log in without TLS"
ok $? "no STARTTLS/STLS: found, reported, not usable, exit 1"
grep -q CAPA "$tmp/record" && grep -q CAPABILITY "$tmp/record" &&
    ! grep -q -i 'alice-pass-1\|login\|authenticate\|user\|pass\|auth' "$tmp/record"
ok $? "no STARTTLS/STLS: no password and no login command sent in clear"
kill "$listener_pid"
listener_pid=

# 22: usage errors.
"$PONS_BIN" -F "$tmp/empty.conf" discover not-an-address >"$out" 2>&1 </dev/null
[ $? -eq 2 ] && has "not an email address"
ok $? "a bad address is a usage error (exit 2), before any password prompt"

# 23: the usual names for "localhost": imap.localhost & co. do not
# resolve, the domain itself does.
PONS_DISCOVER_PASSWORD=alice-pass-1 "$PONS_BIN" -F "$tmp/empty.conf" discover \
    --ca "$TESTBED_CA" --port-map "$all" alice@localhost >"$out" 2>&1 </dev/null
[ $? -eq 0 ] && has "$(ok_line IMAP "$TESTBED_IMAPS_PORT" "implicit TLS")certificate verified  login ok" &&
    has "$(ok_line POP3 "$TESTBED_POP3S_PORT" "implicit TLS")certificate verified  login ok" &&
    grep -q '^host = localhost$' "$out"
ok $? "without --host: the usual names are tried, the domain itself answers"

# 24-25: no SASL PLAIN (Dovecot offers no login without it, hence the
# TLS listener): the IMAP LOGIN command, the password (a space, a quote,
# UTF-8) as a synchronizing literal, and POP3 USER/PASS.
pw='pä ss"wörd'
rm -f "$tmp/ports"
python3 "$PONS_SRCDIR/tests/integration/discover-listener.py" \
    "$tmp/record-tls" "$tmp/ports" "$TESTBED_CERTS/server.pem" \
    "$TESTBED_CERTS/server.key" carol "$pw" &
listener_pid=$!
i=0
while [ ! -f "$tmp/ports" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
set -- $(cat "$tmp/ports")
PONS_DISCOVER_PASSWORD=$pw "$PONS_BIN" -F "$tmp/empty.conf" -d "$tmp/debug-fake.log" \
    discover --ca "$TESTBED_CA" --host localhost \
    --port-map "993=$1,143=0,995=$2,110=0" carol@localhost >"$out" 2>&1 </dev/null
[ $? -eq 0 ] && has "$(ok_line IMAP "$1" "implicit TLS")certificate verified  login ok" &&
    has "$(ok_line POP3 "$2" "implicit TLS")certificate verified  login ok" &&
    [ "$(grep -c '      user: carol$' "$out")" -eq 2 ] &&
    grep -q -F "$pw" "$tmp/record-tls" && grep -q 'LOGIN carol {' "$tmp/record-tls" &&
    grep -q -F "PASS $pw" "$tmp/record-tls"
ok $? "no SASL PLAIN: IMAP LOGIN with a literal, POP3 USER/PASS, login ok"
grep -q 'C: d[0-9]* LOGIN <redacted>$' "$tmp/debug-fake.log" &&
    grep -q 'C: USER carol$' "$tmp/debug-fake.log" &&
    grep -q 'C: <redacted>$' "$tmp/debug-fake.log" &&
    ! grep -q -F 'ss"w' "$tmp/debug-fake.log"
ok $? "the debug log shows LOGIN and USER/PASS but never the password"
kill "$listener_pid"
listener_pid=

# 26-27: Dovecot restarted without SASL-IR: the AUTHENTICATE PLAIN
# response follows the "+" continuation.
testbed_add_user carol "$pw"
testbed_pause
sed -i 's/^auth_mechanisms = .*/auth_mechanisms = plain/' "$TESTBED_CONF"
echo 'imap_capability = IMAP4rev1 IDLE' >>"$TESTBED_CONF"
testbed_resume
rm -f "$tmp/debug.log"
PONS_DISCOVER_PASSWORD=$pw "$PONS_BIN" -F "$tmp/empty.conf" -d "$tmp/debug.log" \
    discover --ca "$TESTBED_CA" --host localhost \
    --port-map "993=$TESTBED_IMAPS_PORT,143=0,995=0,110=0" \
    carol@localhost >"$out" 2>&1 </dev/null
[ $? -eq 0 ] && has "$(ok_line IMAP "$TESTBED_IMAPS_PORT" "implicit TLS")certificate verified  login ok" &&
    grep -q 'C: d[0-9]* AUTHENTICATE PLAIN$' "$tmp/debug.log" &&
    ! grep -q 'SASL-IR' "$tmp/debug.log"
ok $? "AUTH=PLAIN without SASL-IR: the response follows the continuation"
PONS_DISCOVER_PASSWORD=wrong "$PONS_BIN" -F "$tmp/empty.conf" \
    discover --ca "$TESTBED_CA" --host localhost \
    --port-map "993=$TESTBED_IMAPS_PORT,143=0,995=0,110=0" \
    carol@localhost >"$out" 2>&1 </dev/null
[ $? -eq 1 ] && has "login refused"
ok $? "AUTH=PLAIN without SASL-IR: a wrong password is refused"
