#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of `pons` on a POP3 account: the real binary in a
# detached tmux against the test bed's Dovecot (POP3S, test CA).  Mail is
# downloaded in the background into the spool and shows on the index;
# deleting and expunging stay local (the server keeps every message).
# Prints TAP; polls with timeouts.
set -u
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=$PONS_SRCDIR/pons}"
export PONS_SRCDIR

N=7
echo "1..$N"
skip_all() {
	i=0
	while [ $i -lt $N ]; do i=$((i + 1)); echo "ok $i # SKIP $1"; done
	exit 0
}
PATH=$PATH:/usr/sbin:/sbin
command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
command -v dovecot >/dev/null 2>&1 || skip_all "no dovecot"
. "$PONS_SRCDIR/tests/server/testbed.sh"
testbed_start >/dev/null 2>&1 || { echo "Bail out! test bed did not start"; exit 1; }

tmp=$TESTBED_DIR/tui-pop3
mkdir -p "$tmp"
sock="$tmp/tmux.sock"
n=0
tm() { tmux -S "$sock" -f /dev/null "$@"; }
cleanup() {
	tm kill-server >/dev/null 2>&1
	testbed_stop
}
trap cleanup EXIT

screen() { tm capture-pane -p -t pons 2>/dev/null; }
ok() {	# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		echo "# screen:"
		screen | sed 's/^/#   /'
	fi
}
# wait_for TEXT [TENTHS]: poll the screen for TEXT (fixed string).
wait_for() {
	i=0
	while [ $i -lt "${2:-100}" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
wait_gone() {
	i=0
	while [ $i -lt "${2:-100}" ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# wait_cmd CMD...: poll until CMD succeeds (~10 s).
wait_cmd() {
	i=0
	while [ $i -lt 100 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
keys() { tm send-keys -t pons "$@"; }
flags_of() {	# flags_of SUBJECT-WORD: the server's flags of that message
	testbed_fetch alice 'flags' INBOX subject "$1" 2>/dev/null
}
has_flag() { flags_of "$1" | grep -qF "$2"; }
count_is() { [ "$(testbed_status alice messages INBOX 2>/dev/null)" = "$1" ]; }

msg() {	# msg SUBJECT BODY-LINE
	printf 'From: Bob <bob@example.org>\nTo: alice@example.net\nSubject: %s\nDate: Tue, 25 Nov 2025 10:00:00 +0000\n\n%s\n' "$1" "$2"
}
msg "Lunch on Friday" "shall we have lunch on Friday?" | testbed_deliver alice INBOX >/dev/null
msg "Weekly minutes" "nothing happened" | testbed_deliver alice INBOX >/dev/null

cat >"$tmp/config" <<EOF
[ui]
threads = no
mouse = no

[account "pop"]
protocol = pop3
host = localhost
port = $TESTBED_POP3S_PORT
tls = implicit
user = alice
password_command = echo alice-pass-1
ca_file = $TESTBED_CA
keep_on_server = yes
spool = $tmp/spool
EOF
chmod 600 "$tmp/config"

tm new-session -d -s pons -x 100 -y 30 \
	"env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$tmp \
	XDG_CACHE_HOME=$tmp/cache $PONS_BIN -F $tmp/config -d $tmp/log; \
	echo EXITED rc=\$?; sleep 60"

# 1-2: the download runs on start and the messages appear
wait_for "Lunch on Friday" && wait_for "Weekly minutes"
ok $? "downloaded messages appear on the index"
[ "$(ls "$tmp/spool/new" "$tmp/spool/cur" 2>/dev/null | grep -c .)" -ge 2 ]
ok $? "the messages are in the spool Maildir"

# 3: Enter shows the body
keys / ; wait_for "Search for:"; keys "Weekly" Enter
wait_gone "Search for:"
keys Enter
wait_for "nothing happened"
ok $? "Enter shows the body"
keys q
wait_for "Lunch on Friday"

# 4-5: d says deletion is local; $ removes locally, the server keeps it
keys d
wait_for "local only"
ok $? "the first d says deleting is local only"
keys '$'
wait_gone "Weekly minutes"
r=$?
[ $r -eq 0 ] && [ "$(testbed_status alice messages INBOX 2>/dev/null)" = 2 ]
ok $? "\$ removes the message locally; the server still has 2"

# 6: G fetches new mail
msg "Fresh delivery" "hot off the press" | testbed_deliver alice INBOX >/dev/null
keys G
wait_for "Fresh delivery"
r=$?
[ $r -eq 0 ] && ! screen | grep -qF "Weekly minutes"
ok $? "G downloads the new message; the deleted one does not come back"

keys q
wait_for "EXITED rc=0"
ok $? "q exits 0"
exit 0
