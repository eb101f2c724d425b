#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of s (move) and C (copy): the real binary in tmux on an
# IMAP account of the test bed's Dovecot (TLS with the test CA), checked
# on the screen and with doveadm: a move leaves the index and lands in the
# destination on the server, a copy is in both, a move to a missing
# mailbox shows the server's refusal and keeps the row; Tab completes
# folder names, Up recalls the last one; s works from the pager too.
# Then a POP3 account: a move goes into a Maildir++ subfolder of the
# spool, created after asking, and never touches the server.
set -u

: "${PONS_BIN:?}" "${PONS_SRCDIR:?}"
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"
tui_testbed
w=$tmp

count_is() {	# count_is USER MAILBOX N
	[ "$(testbed_status "$1" messages "$2" 2>/dev/null)" = "$3" ]
}
has_subject() {	# has_subject USER MAILBOX WORD
	[ -n "$(testbed_fetch_field "$1" uid "$2" subject "$3" 2>/dev/null)" ]
}
msg() {	# msg SUBJECT
	printf 'From: Carol Example <carol@example.org>\nTo: alice@example.org\nSubject: %s\nDate: Tue, 25 Nov 2025 10:00:00 +0000\nMessage-ID: <%s@example.org>\n\nThe text of %s.\n' \
	    "$1" "$(echo "$1" | tr -c 'a-zA-Z0-9\n' x)" "$1"
}
find_msg() {	# find_msg WORD: put the index cursor on it
	keys /
	wait_for "Search for:"
	keys "$1" Enter
	wait_gone "Search for:"
}

for s in "Alpha report" "Bravo notes" "Charlie plan" "Delta memo"; do
	msg "$s" | testbed_deliver alice INBOX >/dev/null
done
testbed_create_mailbox alice Archive >/dev/null

cat >"$w/config" <<EOF
[ui]
threads = no
mouse = no

$(tui_imap_account tb)

[account "home"]
protocol = pop3
host = 127.0.0.1
port = $TESTBED_POP3S_PORT
user = bob
password_command = echo bob-pass-2
ca_file = $TESTBED_CA
spool = $w/spool
check_interval = 0
EOF
chmod 600 "$w/config"

tui_run "$w" -F $w/config -a tb
wait_for "connected · idle" && wait_for "Delta memo"
ok $? "the IMAP account opens"

# s, Tab completes the folder name from the server's LIST, Enter moves
find_msg Bravo
keys s
wait_for "Move to folder:"
keys "Arc"
i=0
until screen | grep -qF "Move to folder: Archive" || [ $i -ge 30 ]; do
	keys Tab
	sleep 0.2
	i=$((i + 1))
done
screen | grep -qF "Move to folder: Archive"
ok $? "Tab completes a folder name from the server's list"
keys Enter
wait_gone "Bravo notes" && wait_for "Moved to Archive."
ok $? "s: the row leaves the index once the server confirmed"
wait_cmd has_subject alice Archive Bravo && count_is alice INBOX 3 &&
	! has_subject alice INBOX Bravo
ok $? "s: on the server the message is in Archive and gone from INBOX"

# C copies: in both places, the row stays
find_msg Charlie
keys C
wait_for "Copy to folder:"
keys "Archive" Enter
wait_for "Copied to Archive." && screen | grep -qF "Charlie plan"
ok $? "C: the note says copied, the row stays"
wait_cmd count_is alice Archive 2 && has_subject alice Archive Charlie &&
	has_subject alice INBOX Charlie && count_is alice INBOX 3
ok $? "C: on the server the message is in both mailboxes"

# a mailbox that does not exist: the server says TRYCREATE, pons asks;
# n leaves everything as it was
find_msg Delta
keys s
wait_for "Move to folder:"
keys "Nowhere" Enter
wait_for "Create Nowhere? (y/n)"
ok $? "a move to a missing mailbox: the server's TRYCREATE, pons asks"
keys n
wait_for "Nowhere not created; the message was not moved." &&
	screen | grep -qF "Delta memo"
ok $? "n: not created, the row stays"
count_is alice INBOX 3 && has_subject alice INBOX Delta &&
	! testbed_doveadm mailbox status -u alice messages Nowhere >/dev/null 2>&1
ok $? "the refused move changed nothing on the server"

# the history: Up recalls the last folder; ^G cancels
keys s
wait_for "Move to folder:"
keys Up
wait_for "Move to folder: Nowhere"
ok $? "Up recalls the last folder typed"
keys C-g
wait_gone "Move to folder:"

# Tab with nothing to add shows the matching names one after another
prompt_line() { screen | grep -F "Move to folder:" | tail -1; }
keys s
wait_for "Move to folder:"
keys Tab
wait_for "Move to folder: " && sleep 0.2
first=$(prompt_line)
keys Tab
i=0
while [ "$(prompt_line)" = "$first" ] && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
second=$(prompt_line)
[ "$first" != "Move to folder:" ] && [ "$second" != "$first" ] &&
	[ "$second" != "Move to folder:" ]
ok $? "Tab again shows the next folder name ($first / $second)"
keys C-g
wait_gone "Move to folder:"

# s from the pager: back in the index, the message gone everywhere
find_msg Alpha
keys Enter
wait_for "The text of Alpha report."
keys s
wait_for "Move to folder:"
keys "Archive" Enter
wait_gone "The text of Alpha report." && wait_gone "Alpha report" &&
	screen | grep -qF "Delta memo"
ok $? "s in the pager: back to the index without the message"
wait_cmd count_is alice Archive 3 && count_is alice INBOX 2 &&
	has_subject alice Archive Alpha
ok $? "s in the pager: the server has it in Archive"

# offline: the move is journaled, the row marked; replayed on reconnect
testbed_pause >/dev/null 2>&1
wait_for "offline"
find_msg Charlie
keys s
wait_for "Move to folder:"
keys "Archive" Enter
wait_for "Offline: the move to Archive is saved" &&
	screen | grep -F "Charlie plan" | grep -q "D"
ok $? "offline: the move is saved for later, the row marked deleted"
testbed_resume >/dev/null 2>&1
wait_for "connected · idle" 900 && wait_gone "Charlie plan" &&
	wait_cmd count_is alice INBOX 1 && count_is alice Archive 4
ok $? "reconnected: the saved move reached the server, the row left"

# y: CREATE, then the move again
msg "Hotel rules" | testbed_deliver alice INBOX >/dev/null
wait_for "Hotel rules"
find_msg Hotel
keys s
wait_for "Move to folder:"
keys "Projects" Enter
wait_for "Create Projects? (y/n)" && keys y &&
	wait_for "Moved to Projects." && wait_gone "Hotel rules"
ok $? "y: the folder is created and the message moved"
wait_cmd has_subject alice Projects Hotel && count_is alice INBOX 1
ok $? "y: on the server Projects exists and holds the message"
keys q
wait_for "EXITED rc=0"
tm kill-session -t "$sess"

# a server without MOVE and UIDPLUS: COPY and STORE \Deleted; the row
# stays, marked deleted as the server has it, and $ expunges it
printf 'protocol imap {\n  imap_capability = %s\n}\n' \
    "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE" >>"$TESTBED_CONF"
testbed_doveadm reload >/dev/null 2>&1
caps_taken() {
	rm -f "$w/caps"
	XDG_CACHE_HOME=$w/cache2 "$PONS_BIN" -F "$w/config" -d "$w/caps" \
	    imap-sync -q INBOX >/dev/null 2>&1
	grep -q "OK \[CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE\]" \
	    "$w/caps"
}
wait_cmd caps_taken || echo "# the server kept offering MOVE"
tui_run "$w" -F $w/config -d $w/log2 -a tb
wait_for "connected · idle" && wait_for "Delta memo"
find_msg Delta
keys s
wait_for "Move to folder:"
keys "Archive" Enter
wait_for "marked deleted" && screen | grep -F "Delta memo" | grep -q "D"
ok $? "without MOVE or UIDPLUS: the row stays, marked deleted"
u=$(testbed_fetch_field alice uid INBOX subject Delta 2>/dev/null)
has_subject alice Archive Delta && testbed_flags alice INBOX "$u" |
	grep -q Deleted && ! grep -q "UID MOVE\|EXPUNGE" "$w/log2"
ok $? "without MOVE or UIDPLUS: copied, the original \\Deleted on the server"
keys '$'
wait_gone "Delta memo" && wait_cmd count_is alice INBOX 0
ok $? "\$ then expunges it"
keys q
wait_for "EXITED rc=0"
tm kill-session -t "$sess"

# POP3: a move stays in the local spool, the server is not touched
for s in "Echo minutes" "Foxtrot draft" "Golf scores"; do
	msg "$s" | testbed_deliver bob INBOX >/dev/null
done
tui_run "$w" -F $w/config -a home
wait_for "3 new, 3 on the server" && wait_for "Foxtrot draft"
ok $? "the POP3 account downloads into its spool"
find_msg Echo
keys s
wait_for "Move to folder:"
keys "Kept" Enter
wait_for "Create Kept? (y/n)"
ok $? "a missing local folder: pons asks before creating it"
keys y
wait_for "on the local spool only" && wait_gone "Echo minutes"
ok $? "the first POP3 move says the server is not touched"
[ "$(find "$w/spool/.Kept/cur" -type f | wc -l)" -eq 1 ] &&
	grep -l "Subject: Echo minutes" "$w/spool/.Kept/cur"/* >/dev/null &&
	count_is bob INBOX 3
ok $? "the file is in the spool's .Kept/cur/, the server still has it"
find_msg Golf
keys Enter
wait_for "The text of Golf scores."
keys s
wait_for "Move to folder:"
keys "Kept" Enter
wait_for "The text of Foxtrot draft." && wait_for "Moved to Kept." &&
	[ "$(find "$w/spool/.Kept/cur" -type f | wc -l)" -eq 2 ]
ok $? "s in the pager (local): the file moves, the pager shows the next"
keys q
wait_gone "The text of Foxtrot draft."
find_msg Foxtrot
keys s
wait_for "Move to folder:"
keys "Ke" Tab
wait_for "Move to folder: Kept"
keys Enter
wait_for "Moved to Kept." && ! screen | grep -qF "local spool only"
ok $? "Tab completes local folders; the POP3 note is shown once"
keys q
wait_for "EXITED rc=0"
ok $? "q exits 0"
tui_done
