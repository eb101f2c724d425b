#!/bin/sh
# SPDX-License-Identifier: ISC
# The test bed itself: a private Dovecot over real TLS with the test CA,
# its helper functions, and the sample-mail generator.  Prints TAP.
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/server/testbed.sh"

n=0
failed=0
ok() {	# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

echo "1..21"
PATH=$PATH:/usr/sbin:/sbin
if ! command -v dovecot >/dev/null; then
	i=0
	while [ $i -lt 21 ]; do
		i=$((i + 1))
		echo "ok $i # SKIP dovecot is not installed"
	done
	exit 0
fi

work=$(mktemp -d /tmp/ptbt.XXXXXX)

testbed_start
ok $? "testbed_start"
trap 'rm -rf "$work"; testbed_stop' EXIT
pid=$TESTBED_PID

# TLS with real verification of chain and host name, greeting shown.
# A loaded machine (CI runs two builds' suites) once gave no greeting to
# the first TLS client: up to three tries, s_client's words kept for the
# failure's comment.
tls_greeting() {	# port quit-command
	_i=0
	while [ $_i -lt 3 ]; do
		_g=$(printf '%s\r\n' "$2" | openssl s_client -connect \
		    "$TESTBED_HOST:$1" -CAfile "$TESTBED_CA" \
		    -verify_return_error -verify_hostname localhost -quiet \
		    2>"$work/s_client.err" | head -n 1)
		[ -z "$_g" ] || break
		sed 's/^/# s_client: /' "$work/s_client.err" >&2
		_i=$((_i + 1))
		sleep 0.5
	done
	printf '%s\n' "$_g"
}
tls_greeting "$TESTBED_IMAPS_PORT" "a LOGOUT" | grep -q '^\* OK .*ready'
ok $? "IMAPS: certificate verifies for localhost, greeting"
tls_greeting "$TESTBED_POP3S_PORT" QUIT | grep -q '^+OK .*ready'
ok $? "POP3S: certificate verifies for localhost, greeting"
# The same verification fails against another CA: verification is real.
echo | openssl s_client -connect "$TESTBED_HOST:$TESTBED_IMAPS_PORT" \
    -CAfile "$TESTBED_CERTS/other-ca.pem" -verify_return_error \
    -verify_hostname localhost -quiet >/dev/null 2>&1
[ $? -ne 0 ]
ok $? "IMAPS: a different CA is rejected"

cat >"$work/imap.py" <<'EOF'
import imaplib, os, ssl, sys
ctx = ssl.create_default_context(cafile=os.environ["TESTBED_CA"])
host = os.environ["TESTBED_HOST"]
what = sys.argv[1]
if what == "imaps-login":
    m = imaplib.IMAP4_SSL("localhost", int(os.environ["TESTBED_IMAPS_PORT"]),
                          ssl_context=ctx)
    typ, _ = m.login("alice", "alice-pass-1")
    assert typ == "OK"
    typ, data = m.select("INBOX")
    assert typ == "OK"
    print(data[0].decode())
    m.logout()
elif what == "plain-refused":
    m = imaplib.IMAP4(host, int(os.environ["TESTBED_IMAP_PORT"]))
    assert "STARTTLS" in m.capabilities
    try:
        m.login("alice", "alice-pass-1")
        sys.exit("clear-text login accepted")
    except imaplib.IMAP4.error:
        pass
    m.starttls(ssl_context=ctx)
    typ, _ = m.login("alice", "alice-pass-1")
    assert typ == "OK"
    m.logout()
elif what == "wrong-password":
    m = imaplib.IMAP4_SSL("localhost", int(os.environ["TESTBED_IMAPS_PORT"]),
                          ssl_context=ctx)
    try:
        m.login("alice", "bob-pass-2")
        sys.exit("wrong password accepted")
    except imaplib.IMAP4.error:
        pass
elif what == "count":
    m = imaplib.IMAP4_SSL("localhost", int(os.environ["TESTBED_IMAPS_PORT"]),
                          ssl_context=ctx)
    m.login(sys.argv[2], sys.argv[3])
    typ, data = m.select(sys.argv[4])
    assert typ == "OK"
    print(data[0].decode())
    m.logout()
elif what == "refused":
    import socket
    try:
        socket.create_connection((host, int(os.environ["TESTBED_IMAPS_PORT"])),
                                 timeout=2).close()
        sys.exit("still listening")
    except OSError:
        pass
elif what == "pop3s-stat":
    import poplib
    p = poplib.POP3_SSL("localhost", int(os.environ["TESTBED_POP3S_PORT"]),
                        context=ctx)
    p.user("alice")
    p.pass_("alice-pass-1")
    print(p.stat()[0])
    p.quit()
elif what == "pop3-plain-refused":
    import poplib
    p = poplib.POP3(host, int(os.environ["TESTBED_POP3_PORT"]))
    assert "STLS" in p.capa()
    try:
        p.user("alice")
        p.pass_("alice-pass-1")
        sys.exit("clear-text POP3 login accepted")
    except poplib.error_proto:
        pass
EOF

[ "$("$TESTBED_PYTHON" "$work/imap.py" imaps-login)" = 0 ]
ok $? "IMAPS LOGIN alice (verified TLS), INBOX empty"
"$TESTBED_PYTHON" "$work/imap.py" plain-refused
ok $? "IMAP: clear-text LOGIN refused before STARTTLS, accepted after"
"$TESTBED_PYTHON" "$work/imap.py" pop3-plain-refused
ok $? "POP3: clear-text login refused before STLS"
"$TESTBED_PYTHON" "$work/imap.py" wrong-password
ok $? "IMAPS: wrong password refused"

cat >"$work/m1.eml" <<'EOF'
From: Bob <bob@example.org>
To: Alice <alice@example.org>
Subject: test bed delivery
Date: Thu, 01 Jan 2026 10:00:00 +0000
Message-ID: <testbed-1@example.org>

Hello Alice.
EOF
testbed_deliver alice INBOX "$work/m1.eml" &&
    [ "$(testbed_status alice 'messages unseen' INBOX)" = "1 1" ]
ok $? "testbed_deliver + testbed_status count the message"
[ "$("$TESTBED_PYTHON" "$work/imap.py" pop3s-stat)" = 1 ]
ok $? "POP3S STAT sees it"
testbed_flag_add alice '\Seen' INBOX uid 1 &&
    testbed_flags alice INBOX 1 | grep -q 'Seen' &&
    [ "$(testbed_status alice unseen INBOX)" = 0 ]
ok $? "testbed_flag_add / testbed_flags"

testbed_seed bob 40 Archive 3 &&
    [ "$(testbed_status bob messages Archive)" = 40 ] &&
    [ "$(testbed_fetch_field bob uid Archive | wc -l)" -eq 40 ] &&
    [ -d "$(testbed_maildir bob)/.Archive/cur" ]
ok $? "testbed_seed fills a mailbox Dovecot can read"

testbed_deliver bob INBOX "$work/m1.eml" &&
    testbed_deliver bob INBOX "$work/m1.eml" &&
    testbed_move bob Archive INBOX uid 1 &&
    testbed_expunge bob INBOX uid 2 &&
    [ "$(testbed_status bob messages INBOX)" = 0 ] &&
    [ "$(testbed_status bob messages Archive)" = 41 ]
ok $? "testbed_move / testbed_expunge act like another client"

testbed_add_user carol carol-pass-3 &&
    [ "$("$TESTBED_PYTHON" "$work/imap.py" count carol carol-pass-3 INBOX)" = 0 ]
ok $? "testbed_add_user: a new user logs in at once"

testbed_pause &&
    "$TESTBED_PYTHON" "$work/imap.py" refused &&
    testbed_resume &&
    [ "$("$TESTBED_PYTHON" "$work/imap.py" count bob bob-pass-2 Archive)" = 41 ]
ok $? "testbed_pause / testbed_resume: server gone, then back with its mail"
pid=$TESTBED_PID

# Generator: deterministic, and every message parses without defects.
"$TESTBED_PYTHON" "$TESTBED_SRC/genmail.py" -n 150 --seed 42 -o "$work/g1" &&
    "$TESTBED_PYTHON" "$TESTBED_SRC/genmail.py" -n 150 --seed 42 -o "$work/g2" &&
    diff -r "$work/g1" "$work/g2" >/dev/null &&
    "$TESTBED_PYTHON" "$TESTBED_SRC/genmail.py" -n 20 --seed 43 -o "$work/g3" &&
    ! cmp -s "$work/g1/000001.eml" "$work/g3/000001.eml"
ok $? "genmail.py: same seed, same bytes; other seed, other bytes"

cat >"$work/parse.py" <<'EOF'
import email, email.policy, os, sys
d = sys.argv[1]
seen = {"charsets": set(), "types": set(), "threads": 0, "ids": set()}
for f in sorted(os.listdir(d)):
    raw = open(os.path.join(d, f), "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("subject", "from", "to", "cc", "message-id", "date"):
        v = m[h]
        if v is not None and v.defects:
            sys.exit("%s: %s: %s" % (f, h, v.defects))
    assert m["message-id"] not in seen["ids"], f
    seen["ids"].add(m["message-id"])
    if m["in-reply-to"]:
        seen["threads"] += 1
    for part in m.walk():
        if part.defects:
            sys.exit("%s: %s: %s" % (f, part.get_content_type(), part.defects))
        seen["types"].add(part.get_content_type())
        cs = part.get_content_charset()
        if cs:
            seen["charsets"].add(cs.lower())
        if part.get_content_maintype() == "text":
            part.get_content()
        elif not part.is_multipart() and part.get_content_type() != "message/rfc822":
            part.get_payload(decode=True)
need_cs = {"utf-8", "iso-8859-1", "windows-1252", "koi8-r", "iso-2022-jp"}
need_ty = {"text/plain", "text/html", "multipart/alternative", "multipart/mixed"}
missing = (need_cs - seen["charsets"]) | (need_ty - seen["types"])
if missing or seen["threads"] == 0:
    sys.exit("missing: %s threads=%d" % (missing, seen["threads"]))
EOF
"$TESTBED_PYTHON" "$work/parse.py" "$work/g1"
ok $? "genmail.py: 150 messages parse without defects, varied charsets/types"

"$TESTBED_PYTHON" "$TESTBED_SRC/genmail.py" -n 30 --seed 42 --maildir "$work/md" &&
    [ "$(ls "$work/md/cur" | wc -l)" -eq 30 ] &&
    (
	for f in "$work/md/cur/"*; do
		s=$(wc -c <"$f")
		case $f in *,S=$s,W=*) ;; *) exit 1 ;; esac
	done
    )
ok $? "genmail.py --maildir: names carry the exact size"

dir=$TESTBED_DIR
testbed_stop
alive=0
kill -0 "$pid" 2>/dev/null && alive=1
ps -eo args= | grep -q "^[d]ovecot-$TESTBED_INSTANCE/" && alive=1
[ $alive -eq 0 ] && [ -n "$dir" ] && [ ! -d "$dir" ]
ok $? "testbed_stop leaves no process of this instance and no directory"

# testbed-run.sh: a command runs inside a test bed, its status comes back.
sh "$TESTBED_SRC/testbed-run.sh" sh -c '
	[ -n "$TESTBED_IMAPS_PORT" ] && [ -f "$TESTBED_CA" ] || exit 1
	echo "$TESTBED_DIR" >"$0"
	exit 7' "$work/run-dir"
rc=$?
[ $rc -eq 7 ] && [ -s "$work/run-dir" ] && [ ! -d "$(cat "$work/run-dir")" ]
ok $? "testbed-run.sh: runs the command, returns its status, cleans up"

# A test killed without running its traps: the watchdog cleans up.
(
	sh -c '. "$PONS_SRCDIR/tests/server/testbed.sh"
		testbed_start || exit 1
		echo "$TESTBED_DIR $TESTBED_PID" >"$0"
		kill -KILL $$' "$work/killed"
	:	# not the last command: this subshell reports the kill
) 2>/dev/null
# shellcheck disable=SC2046 # a directory and a pid
set -- $(cat "$work/killed")
i=0
while [ $i -lt 100 ] && { [ -d "$1" ] || kill -0 "$2" 2>/dev/null; }; do
	sleep 0.1
	i=$((i + 1))
done
[ -n "$1" ] && [ ! -d "$1" ] && ! kill -0 "$2" 2>/dev/null
ok $? "a test killed by SIGKILL leaves no Dovecot and no directory"

[ $failed -eq 0 ] || echo "# $failed failed" >&2
exit 0
