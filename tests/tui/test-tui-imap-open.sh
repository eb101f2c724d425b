#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of opening IMAP messages and logging in from the UI: the
# real binary in tmux against the test bed's Dovecot (TLS, test CA).
# - a big message that was not fetched ahead (checked in the log) opens
#   with one Enter: its text shows without another key press; the next
#   message in the pager likewise; offline, both say why it is not there;
#   one deleted elsewhere meanwhile says so instead of loading for ever;
# - an account with neither password nor password_command asks for it; a
#   wrong one shows the server's refusal and asks again; the right one
#   shows the mail; the password is in no log file;
# - a slow password_command (IMAP login, POP3 download) leaves the UI
#   answering keys while it runs (it waits on a FIFO the test opens only
#   after the help screen came up); a failing one shows its error.
# Prints TAP; polls the screen with timeouts.
set -u
: "${PONS_BIN:?}" "${PONS_SRCDIR:?}"
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"
tui_testbed
w=$tmp

# run NAME CONFIG [ACCOUNT]: pons in its own session; log at $w/NAME.log
run() {
	# a new session before the old one goes: the tmux server stays up
	_old=$sess
	sess=$1
	tm new-session -d -s "$sess" -x 100 -y 30 \
	    "env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    HOME=$w XDG_CACHE_HOME=$w/cache-$1 $PONS_BIN -F $2 -d $w/$1.log \
	    -a ${3:-tb}; echo EXITED rc=\$?; sleep 60"
	tm kill-session -t "$_old" >/dev/null 2>&1
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

# 7: deleted by another client before pons heard of it (no IDLE): the
# server has no text; the pager says so instead of loading for ever
account gone 'password_command = echo alice-pass-1
idle = no
poll_interval = 10m'
run gone "$w/gone.conf"
wait_for "connected" && wait_for "Msgs:34"
r=$?
testbed_expunge alice INBOX subject "Old memo" >/dev/null 2>&1
search "memo"
keys Enter
[ $r -eq 0 ] && wait_for "Subject: Old memo" &&
	wait_for "deleted elsewhere" && wait_for "deleted on the server"
ok $? "a message deleted elsewhere meanwhile: the pager says so"
keys q
keys q
wait_for "EXITED rc=0"

# 8-12: no password in the configuration: asked, refused, asked again
account ask ''
run ask "$w/ask.conf"
wait_for "Password for tb:" && last_line | grep -q "^Password for tb:"
ok $? "without a password the UI asks for it"
keys C-g
# G then / in one write: the search prompt opens first and the password
# prompt waits until it is answered, never taking it over
wait_for "No password: not logged in" && keys "G/" &&
	wait_for "Search for:" && keys C-g && wait_for "Password for tb:"
ok $? "cancelled, G asks again, after the prompt already open"
keys "wrong-pass-9"
wait_for "Password for tb: ************" && keys Enter
wait_for "Password for tb (again):" &&
	screen | grep -qF "login refused: Authentication failed."
ok $? "a wrong password shows the server's refusal and asks again"
keys "alice-pass-1" Enter
wait_for "connected · idle" && wait_for "Msgs:33"
ok $? "the right password logs in and the index shows the mail"
grep -q "AUTHENTICATE" "$w/ask.log" &&
	! grep -rqF -e "alice-pass-1" -e "wrong-pass-9" "$w"/*.log &&
	! grep -rqF -e "AGFsaWNlAGFsaWNlLXBhc3MtMQ" \
	    -e "AGFsaWNlAHdyb25nLXBhc3MtOQ" "$w"/*.log
ok $? "the passwords are in no log file"
# another folder of the account opens with the password typed before
printf 'From: x@example.org\r\nSubject: Kept note\r\n\r\nbody\r\n' |
	testbed_deliver alice Kept >/dev/null
keys c
wait_for "Kept" && keys / && wait_for "Search folders:" &&
	keys "kept" Enter && sleep 0.2 && keys Enter &&
	wait_for "tb:Kept" && wait_for "Kept note" &&
	! screen | grep -qF "Password for"
ok $? "another folder opens without asking for the password again"
keys q
wait_for "EXITED rc=0"

# 13-14: a password_command that waits leaves the UI answering keys
mkfifo "$w/gate"
account slow "password_command = read x < $w/gate; echo alice-pass-1"
run slow "$w/slow.conf"
wait_for "running password_command" && keys '?' &&
	wait_for "Keys of the index screen"
ok $? "while password_command runs, the UI answers keys"
keys q
wait_for "running password_command" && echo go >"$w/gate" &&
	wait_for "connected · idle" && wait_for "Msgs:33"
ok $? "when it prints the password, pons logs in"
keys q
wait_for "EXITED rc=0"

# 15-16: the same for a POP3 account's download
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

# 17: a failing password_command: its error on the status line
account bad 'password_command = echo "mail/tb is not in the password store." >&2; exit 1'
run bad "$w/bad.conf"
wait_for "exit status 1): mail/tb is not in the password store." &&
	screen | grep -qF "offline: password_command failed"
ok $? "a failing password_command shows its error"
keys q
wait_for "EXITED rc=0"
ok $? "q exits 0"

# 20-21: the cold open of a mailbox bigger than a header chunk (1,000):
# the newest rows come first (the head start) without RFC822.SIZE, which
# makes Dovecot read its whole UID list, and then again, whole: the first
# screen shows their size without a key press
testbed_add_user carol carol-pass-1 >/dev/null
testbed_seed carol 1100 INBOX 5 >/dev/null
{ printf 'From: Dan <dan@example.net>\nTo: carol@example.org\n'
  printf 'Subject: Sized newest\nDate: Wed, 26 Nov 2025 10:00:00 +0000\n'
  printf 'Message-ID: <sized@example.net>\n\n'
  awk 'BEGIN { for (i = 0; i < 1000; i++)
	printf "line %06d of a body of about forty kilobytes\n", i }'; } |
	testbed_deliver carol INBOX >/dev/null
sed -e 's/^user = alice$/user = carol/' \
    -e 's/^password_command = .*/password_command = echo carol-pass-1/' \
    -e 's/^\[ui\]$/[ui]\nsort_reverse = yes/' "$w/bad.conf" >"$w/head.conf"
chmod 600 "$w/head.conf"
run head "$w/head.conf"
wait_for "Msgs:1101" && wait_for "connected · idle" &&
	grep -q "C: a[0-9]* FETCH 1052:1101 (UID FLAGS INTERNALDATE MODSEQ BODY" \
	    "$w/head.log" &&
	grep -q "C: a[0-9]* UID FETCH [0-9:,]* (UID FLAGS INTERNALDATE RFC822.SIZE" \
	    "$w/head.log"
ok $? "a cold open of 1,101 messages: the newest first without their size"
screen | grep -F "Sized newest" | grep -Eq " 4[0-9]K "
ok $? "then the first screen shows their size"
# 22: what is fetched ahead is the newest mail, though the rows came
# newest chunk first (the last row added was UID 101)
headfetched() { grep -q "UID FETCH $1 (UID BODY.PEEK\[\])" "$w/head.log"; }
wait_cmd headfetched 1101 && wait_cmd headfetched 1086 && ! headfetched 1085 &&
	! headfetched 101
ok $? "the newest messages, not the last rows added, are fetched ahead"
keys q
wait_for "EXITED rc=0"
tui_done
