#!/bin/sh
# SPDX-License-Identifier: ISC
# net/conn against the real Dovecot of the test bed: implicit TLS and
# STARTTLS/STLS for IMAP and POP3, verified against the test CA by name and
# by IP, the fingerprint reported, and refusals without the CA.  The probe
# is tests/integration/tls-probe.  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BUILDDIR:=$PONS_SRCDIR}"
export PONS_SRCDIR
probe=$PONS_BUILDDIR/tests/integration/tls-probe
testbed=${TESTBED_SH:-$PONS_SRCDIR/tests/server/testbed.sh}
total=10

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}
PATH=$PATH:/usr/sbin:/sbin
[ -f "$testbed" ] || skip_all "tests/server/testbed.sh not there yet"
command -v dovecot >/dev/null || skip_all "dovecot is not installed"
[ -x "$probe" ] || skip_all "tls-probe not built"
. "$testbed"

n=0
ok() {	# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
	fi
}
out=$(mktemp /tmp/pons-tls-probe.XXXXXX)

echo "1..$total"
testbed_start || { echo "Bail out! testbed_start failed"; exit 1; }
trap 'rm -f "$out"; testbed_stop' EXIT
ca=$TESTBED_CA
fp=$(openssl x509 -noout -fingerprint -sha256 -in "$TESTBED_CERTS/server.pem" |
    sed 's/^[^=]*=//')

run() {	# probe arguments...; output in $out, status returned
	"$probe" "$@" >"$out" 2>&1
}
has() {	# fixed string in $out
	grep -F -q -- "$1" "$out"
}

run -c "$ca" localhost "$TESTBED_IMAPS_PORT" && has "greeting: * OK" &&
    has "tls: TLSv1." && has "capability: * CAPABILITY" && has "bye: a3 OK"
ok $? "IMAP, implicit TLS, verified against the test CA"

has "fingerprint: $fp"
ok $? "the fingerprint reported is the server certificate's SHA-256"

# After the upgrade the server no longer offers STARTTLS (RFC 9051 6.2.1).
run -c "$ca" -t starttls localhost "$TESTBED_IMAP_PORT" &&
    has "greeting: * OK" && has "tls: TLSv1." &&
    grep '^capability: \* CAPABILITY ' "$out" | grep -v -q STARTTLS &&
    has "bye: a3 OK"
ok $? "IMAP, STARTTLS upgrade, capabilities asked again over TLS"

run -c "$ca" -p pop3 localhost "$TESTBED_POP3S_PORT" && has "greeting: +OK" &&
    has "tls: TLSv1." && has "bye: +OK"
ok $? "POP3, implicit TLS"

run -c "$ca" -p pop3 -t starttls localhost "$TESTBED_POP3_PORT" &&
    has "greeting: +OK" && has "tls: TLSv1." && has "capability: USER" &&
    ! has "capability: STLS" && has "bye: +OK"
ok $? "POP3, STLS upgrade"

run -c "$ca" 127.0.0.1 "$TESTBED_IMAPS_PORT" && has "tls: TLSv1."
ok $? "IMAP by IP address: the IP is checked against the certificate"

run localhost "$TESTBED_IMAPS_PORT"
[ $? -eq 1 ] && has "error: tls: TLS certificate of localhost not trusted: unable to get local issuer certificate (SHA-256 $fp)"
ok $? "system store only: the test CA is not trusted, fingerprint shown"

run -c "$TESTBED_CERTS/other-ca.pem" -t starttls localhost "$TESTBED_IMAP_PORT"
[ $? -eq 1 ] && has "error: tls: TLS certificate of localhost not trusted" &&
    ! has "capability:"
ok $? "STARTTLS with the wrong CA: refused, nothing after the upgrade"

run -P "$fp" localhost "$TESTBED_IMAPS_PORT" && has "tls: TLSv1."
ok $? "the pinned fingerprint is accepted without the CA"

run -c "$ca" -T 2000 localhost 1
[ $? -eq 1 ] && has "error: temp: " && has "refused"
ok $? "connection refused is a temporary error with a clear message"
