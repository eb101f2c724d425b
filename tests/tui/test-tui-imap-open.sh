#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of opening IMAP messages and logging in from the UI: the
# real binary in tmux against the test bed's Dovecot (TLS, test CA).
# - a big message that was not fetched ahead (checked in the log) opens
#   with one Enter: its text shows without another key press; the next
#   message in the pager likewise; offline, both say why it is not there;
# - an account with neither password nor password_command asks for it; a
#   wrong one shows the server's refusal and asks again; the right one
#   shows the mail; the password is in no log file;
# - a slow password_command (IMAP login, POP3 download) leaves the UI
#   answering keys while it runs (it waits on a FIFO the test opens only
#   after the help screen came up); a failing one shows its error.
# Prints TAP; polls the screen with timeouts.
set -u
: "${PONS_BIN:?}" "${PONS_SRCDIR:?}"
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
PATH=$PATH:/usr/sbin:/sbin
command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
command -v dovecot >/dev/null 2>&1 || skip_all "no dovecot"
. "$PONS_SRCDIR/tests/server/testbed.sh"
testbed_start >/dev/null 2>&1 || skip_all "the test bed did not start"
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"
w=$tmp
trap 'tui_cleanup; testbed_stop' EXIT

# run NAME CONFIG [ACCOUNT]: pons in its own session; log at $w/NAME.log
run() {
	tm kill-session -t "$sess" >/dev/null 2>&1
	tm new-session -d -s "$sess" -x 100 -y 30 \
	    "env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    HOME=$w XDG_CACHE_HOME=$w/cache-$1 $PONS_BIN -F $2 -d $w/$1.log \
	    -a ${3:-tb}; echo EXITED rc=\$?; sleep 60"
}
# account NAME PASSWORD-LINE: a config with the IMAP account "tb"
account() {
	cat >"$w/$1.conf" <<EOC
[ui]
threads = no
mouse = no

[account "tb"]
protocol = imap
host = localhost
port = $TESTBED_IMAPS_PORT
tls = implicit
user = alice
ca_file = $TESTBED_CA
$2
EOC
	chmod 600 "$w/$1.conf"
}

# big SUBJECT DAY MARK: a message of ~1.2 MB whose text starts with MARK
big() {
	printf 'From: Archive <archive@example.org>\nTo: alice@example.org\n'
	printf 'Subject: %s\nDate: %s Nov 2025 09:00:00 +0000\n' "$1" "$2"
	printf 'Message-ID: <%s@example.org>\nContent-Type: text/plain\n\n' "$3"
	printf '%s the first line\n' "$3"
	awk 'BEGIN { for (i = 0; i < 20000; i++)
		printf "filler line %06d of the archive dump, nothing here\n", i }'
}
# The oldest UIDs: the newest messages are fetched ahead, not these.
big "Quarterly archive dump" 03 ARCHIVE-ONE | testbed_deliver alice INBOX >/dev/null
big "Yearly archive dump" 04 ARCHIVE-TWO | testbed_deliver alice INBOX >/dev/null
printf 'From: Carol <carol@example.net>\nTo: alice@example.org\nSubject: Old memo\nDate: Wed, 05 Nov 2025 10:00:00 +0000\nMessage-ID: <memo@example.net>\n\nMEMO-BODY\n' |
	testbed_deliver alice INBOX >/dev/null
testbed_seed alice 30 INBOX 7 >/dev/null
printf 'From: Bob <bob@example.net>\nTo: alice@example.org\nSubject: Newest note\nDate: Tue, 25 Nov 2025 10:00:00 +0000\nMessage-ID: <new@example.net>\n\nNEWEST-BODY here\n' |
	testbed_deliver alice INBOX >/dev/null
fetched() { grep -q "UID FETCH $1 (UID BODY.PEEK\[\])" "$w/open.log"; }
search() {
	keys / ; wait_for "Search for:"; keys "$1" Enter; wait_gone "Search for:"
}
last_line() { screen | tail -1; }

# 1-3: one Enter opens a message not fetched ahead; j opens the next one
account open 'password_command = echo alice-pass-1'
run open "$w/open.conf"
wait_for "connected · idle" && wait_for "Msgs:34"
ok $? "the account opens with the big messages in the index"
search "Quarterly"
! fetched 1 && ! fetched 2 && ! fetched 3 &&
	keys Enter && wait_for "ARCHIVE-ONE the first line" &&
	screen | grep -qF "Subject: Quarterly archive dump" && fetched 1 &&
	wait_gone "loading"
ok $? "one Enter on a message not fetched ahead shows its text"
keys j
wait_for "ARCHIVE-TWO the first line" && fetched 2 &&
	screen | grep -qF "Subject: Yearly archive dump" && wait_gone "loading"
ok $? "j in the pager fetches and shows the next message by itself"

# 4-5: offline, a message that is not here says so on the status line
testbed_pause >/dev/null 2>&1
keys q
wait_for "offline"
r=$?
keys Enter
[ $r -eq 0 ] && wait_for "ARCHIVE-TWO the first line" && keys j &&
	wait_for "Subject: Old memo" &&
	wait_for "could not be loaded" && last_line | grep -q "not here yet"
ok $? "offline, j in the pager shows why the next message is not there"
keys q
wait_for "tb:INBOX" && keys Enter && wait_for "not here yet" &&
	last_line | grep -q "not here yet" && screen | grep -qF "tb:INBOX"
ok $? "offline, Enter on it keeps the index and shows why"
testbed_resume >/dev/null 2>&1
keys q
wait_for "EXITED rc=0"
ok $? "q exits 0"

# 7-10: no password in the configuration: asked, refused, asked again
account ask ''
run ask "$w/ask.conf"
wait_for "Password for tb:" && last_line | grep -q "^Password for tb:"
ok $? "without a password the UI asks for it"
keys "wrong-pass-9"
wait_for "Password for tb: ************" && keys Enter
wait_for "Password for tb (again):" &&
	screen | grep -qF "login refused: Authentication failed."
ok $? "a wrong password shows the server's refusal and asks again"
keys "alice-pass-1" Enter
wait_for "connected · idle" && wait_for "Msgs:34"
ok $? "the right password logs in and the index shows the mail"
grep -q "AUTHENTICATE" "$w/ask.log" &&
	! grep -rqF -e "alice-pass-1" -e "wrong-pass-9" "$w"/*.log &&
	! grep -rqF -e "AGFsaWNlAGFsaWNlLXBhc3MtMQ" \
	    -e "AGFsaWNlAHdyb25nLXBhc3MtOQ" "$w"/*.log
ok $? "the passwords are in no log file"
keys q
wait_for "EXITED rc=0"

# 11-12: a password_command that waits leaves the UI answering keys
mkfifo "$w/gate"
account slow "password_command = read x < $w/gate; echo alice-pass-1"
run slow "$w/slow.conf"
wait_for "running password_command" && keys '?' &&
	wait_for "Keys of the index screen"
ok $? "while password_command runs, the UI answers keys"
keys q
wait_for "running password_command" && echo go >"$w/gate" &&
	wait_for "connected · idle" && wait_for "Msgs:34"
ok $? "when it prints the password, pons logs in"
keys q
wait_for "EXITED rc=0"

# 13-14: the same for a POP3 account's download
printf 'From: Dan <dan@example.net>\nTo: bob@example.net\nSubject: Spooled hello\nMessage-ID: <pop@example.net>\n\nPOP-BODY\n' |
	testbed_deliver bob INBOX >/dev/null
mkfifo "$w/gate2"
cat >"$w/pop.conf" <<EOC
[ui]
threads = no
mouse = no

[account "home"]
protocol = pop3
host = localhost
port = $TESTBED_POP3S_PORT
user = bob
password_command = read x < $w/gate2; echo bob-pass-2
ca_file = $TESTBED_CA
spool = $w/pop-spool
check_interval = 0
EOC
chmod 600 "$w/pop.conf"
run pop "$w/pop.conf" home
wait_for "running password_command" && keys '?' &&
	wait_for "Keys of the index screen"
ok $? "POP3: while password_command runs, the UI answers keys"
keys q
wait_for "running password_command" && echo go >"$w/gate2" &&
	wait_for "Spooled hello"
ok $? "POP3: then the download runs and the mail shows"
keys q
wait_for "EXITED rc=0"

# 15: a failing password_command: its error on the status line
account bad 'password_command = echo "mail/tb is not in the password store." >&2; exit 1'
run bad "$w/bad.conf"
wait_for "exit status 1): mail/tb is not in the password store." &&
	screen | grep -qF "offline: password_command failed"
ok $? "a failing password_command shows its error"
keys q
wait_for "EXITED rc=0"
ok $? "q exits 0"
tui_done
