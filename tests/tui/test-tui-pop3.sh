#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of the terminal UI on a POP3 account of the test bed's
# real Dovecot (TLS with the test CA): pons with no -f opens the account's
# spool and downloads into it in the background; a delete in the UI stays
# local (checked with doveadm); G downloads mail delivered meanwhile.
set -u

: "${PONS_BIN:?}" "${PONS_SRCDIR:?}"
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"
tui_testbed
w=$tmp
count() { find "$1/new" "$1/cur" -type f 2>/dev/null | wc -l | tr -d ' '; }

echo "1..9"
cat >"$w/config" <<EOF
[ui]
threads = no

[account "home"]
protocol = pop3
host = 127.0.0.1
port = $TESTBED_POP3S_PORT
user = alice
password_command = echo alice-pass-1
ca_file = $TESTBED_CA
spool = $w/spool
check_interval = 0
EOF
testbed_seed alice 5 INBOX 11 >/dev/null

tm new-session -d -s pons -x 120 -y 30 \
	"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$w \
	$PONS_BIN -F $w/config; echo EXITED rc=\$?; sleep 60"

wait_for "5 new, 5 on the server"
r=$?
wait_for "Msgs:5"
[ $r -eq 0 ] && [ $? -eq 0 ] && screen | grep -qF "pons: home:INBOX"
ok $? "the account's spool opens and the download shows up live"
[ "$(count "$w/spool")" = 5 ]
ok $? "the spool holds 5 messages"

tm send-keys -t pons d
wait_for "local spool only"
ok $? "the first delete says it stays local"
tm send-keys -t pons '$'
wait_for "1 message expunged"
r=$?
[ $r -eq 0 ] && [ "$(count "$w/spool")" = 4 ] &&
	[ "$(testbed_status alice messages INBOX)" = 5 ]
ok $? "expunge removes the spool file, the server keeps all 5"

printf 'From: Late <late@example.net>\nSubject: Arrived later\nMessage-ID: <late@x>\n\nnew mail\n' >"$w/late.eml"
testbed_deliver alice INBOX "$w/late.eml"
tm send-keys -t pons G
wait_for "Arrived later"
ok $? "G downloads mail delivered meanwhile"

tm send-keys -t pons q
wait_for "EXITED rc=0"
ok $? "q exits 0"

# without password_command: pons asks, shows stars, then downloads
sed -e '/^password_command/d' -e "s|^spool = .*|spool = $w/spool2|" \
	"$w/config" >"$w/config2"
tm new-session -d -s pw -x 120 -y 30 \
	"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$w \
	$PONS_BIN -F $w/config2; echo EXITED rc=\$?; sleep 60"
pscreen() { tm capture-pane -p -t pw 2>/dev/null; }
pwait() {
	i=0
	while [ $i -lt 150 ]; do
		pscreen | grep -qF -- "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
pwait "Password for home:"
ok $? "no password in the config: pons asks for it"
tm send-keys -t pw "alice-pass-1"
pwait "Password for home: ************"
r=$?
[ $r -eq 0 ] && ! pscreen | grep -qF "alice-pass"
ok $? "the password is echoed as stars only"
tm send-keys -t pw Enter
pwait "6 new, 6 on the server"
ok $? "the typed password is used for the download"
tm send-keys -t pw q

[ "$failed" -eq 0 ]
exit 0
