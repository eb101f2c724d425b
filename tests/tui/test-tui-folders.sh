#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of the folder screen (c): the real binary in tmux against
# the test bed's Dovecot over TLS with the test CA.  An IMAP account and a
# POP3 account side by side; the IMAP account's folders with their unread
# counts (LIST-STATUS), a delivery into another folder that updates its
# count with no key press (NOTIFY; status_interval = 1s without it), Enter opening a folder
# and another account, and what the server holds afterwards (doveadm).
set -u

: "${PONS_BIN:?}" "${PONS_SRCDIR:?}"
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"
tui_testbed
w=$tmp

# line TEXT: the first screen line holding TEXT
line() { screen | grep -F -- "$1" | head -1; }
# wait_line TEXT WANT: poll until the line holding TEXT also holds WANT
wait_line() {
	_j=0
	while [ $_j -lt 300 ]; do
		line "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
		_j=$((_j + 1))
	done
	return 1
}
msg() {	# msg SUBJECT
	printf 'From: Alice Example <alice@example.org>\nTo: alice@example.org\nSubject: %s\nDate: Tue, 25 Nov 2025 10:00:00 +0000\nMessage-ID: <%s@example.org>\n\nbody of %s\n' "$1" "$(echo "$1" | tr -c 'a-zA-Z0-9\n' x)" "$1"
}

# alice (IMAP): INBOX 2 unread; Projects 3 (1 read); Projects/pons 1;
# Archive 1 read; Sent (a SPECIAL-USE role), empty.
msg "Inbox one" | testbed_deliver alice INBOX >/dev/null
msg "Inbox two" | testbed_deliver alice INBOX >/dev/null
for s in "Plan alpha" "Plan beta" "Plan gamma"; do
	msg "$s" | testbed_deliver alice Projects >/dev/null
done
testbed_flag_add alice '\Seen' Projects subject alpha >/dev/null
msg "Pons notes" | testbed_deliver alice Projects/pons >/dev/null
msg "Old stuff" | testbed_deliver alice Archive >/dev/null
testbed_flag_add alice '\Seen' Archive all >/dev/null
testbed_create_mailbox alice Sent >/dev/null
# bob (POP3): two messages to download
msg "Spool first" | testbed_deliver bob INBOX >/dev/null
msg "Spool second" | testbed_deliver bob INBOX >/dev/null

cat >"$w/config" <<EOF
[ui]
threads = no
mouse = no

$(tui_imap_account tb)
status_interval = 1h

[account "pop"]
protocol = pop3
host = localhost
port = $TESTBED_POP3S_PORT
user = bob
password_command = echo bob-pass-2
ca_file = $TESTBED_CA
spool = $w/spool
check_interval = 0
EOF
chmod 600 "$w/config"

tui_run "$w" -F $w/config -a tb

wait_for "connected · idle" && wait_for "Inbox two"
ok $? "-a tb opens the IMAP INBOX"

# c: the folder screen, both accounts, the IMAP folders with counts
keys c
wait_line "Projects " "2/3" && wait_line "Archive" "0/1" &&
	wait_line "Sent" "sent" && wait_line "pons " "1/1" &&
	line "INBOX" | grep -q '^\*' && line "INBOX" | grep -qF "2/2" &&
	line "tb  IMAP" | grep -qF "connected" &&
	screen | grep -qF "pop  POP3 spool"
ok $? "c lists both accounts, the IMAP folders with unread/total and roles"

# the folders are in order, children indented under their parent
s=$(screen)
p1=$(echo "$s" | grep -n "Projects " | head -1 | cut -d: -f1)
p2=$(echo "$s" | grep -n " pons " | head -1 | cut -d: -f1)
[ -n "$p1" ] && [ -n "$p2" ] && [ $((p1 + 1)) -eq "$p2" ] &&
	echo "$s" | grep -q '^      pons '
ok $? "Projects/pons shows as pons, indented under Projects"

# ?: the folder screen's keys from the live key map
keys '?'
wait_for "Keys of the folders screen" && screen | grep -qF "search-next" &&
	keys End && wait_for "open-maildir" && screen | grep -qF "open-folder"
ok $? "? lists the folder screen's keys"
keys q
wait_for "pop  POP3 spool"

# a delivery into Projects updates its count with no key press
msg "Plan delta" | testbed_deliver alice Projects >/dev/null
wait_line "Projects " "3/4"
ok $? "a message delivered into Projects updates its count live (NOTIFY)"
# a flag set elsewhere: NOTIFY's STATUS carries UNSEEN only
testbed_flag_add alice '\Seen' Projects subject delta >/dev/null
wait_line "Projects " "2/4" &&
	testbed_flag_remove alice '\Seen' Projects subject delta >/dev/null &&
	wait_line "Projects " "3/4"
ok $? "a message read and unread elsewhere: Projects' unread count follows"

# / finds a folder, Enter opens it in the index
keys / ; wait_for "Search folders:"; keys "proj" Enter
wait_gone "Search folders:"
keys Enter
wait_for "tb:Projects" && wait_for "Plan delta" && wait_for "Plan gamma" &&
	! screen | grep -qF "Inbox two"
ok $? "Enter on Projects shows its messages"
wait_for "connected · idle"
# reading one marks it \Seen on the server, in Projects
keys / ; wait_for "Search for:"; keys "beta" Enter
wait_gone "Search for:"
keys Enter
wait_for "body of Plan beta"
keys q
seen_beta() {
	testbed_fetch alice flags Projects subject beta 2>/dev/null |
	    grep -qF '\Seen'
}
wait_cmd seen_beta
ok $? "reading a message of Projects marks it \\Seen on the server"

# the open folder's line follows the live model: now 2 unread of 4
keys c
wait_line "Projects " "2/4" && line "Projects " | grep -q '^\*'
ok $? "the open folder is marked, its counts follow the index"

# switch to the POP3 account: its spool, downloaded
keys / ; wait_for "Search folders:"; keys "pop" Enter
wait_gone "Search folders:"
keys Enter
wait_for "pop:INBOX" && wait_for "Spool second" && wait_for "Spool first"
ok $? "Enter on the POP3 account shows its spool"

keys c
wait_line "pop  POP3 spool" "POP3" && wait_line "tb  IMAP" "not open" &&
	screen | grep -A1 -F "pop  POP3 spool" | tail -1 |
	grep -q '^\*   INBOX .* 2/2' && wait_line "Projects " "2/4" &&
	! line "INBOX" | grep -q '^\*'

ok $? "the folder screen after the switch: POP3 open, IMAP names kept"

# and back to the IMAP account, on another folder than its INBOX
keys / ; wait_for "Search folders:"; keys "proj" Enter
wait_gone "Search folders:"
keys Enter
wait_for "tb:Projects" && wait_for "Plan delta" && wait_for "connected · idle"
ok $? "Enter on Projects from the POP3 account reopens the IMAP account there"

# the server: POP3 left bob's mail there; alice's folders hold what they did
[ "$(testbed_status bob messages INBOX)" = 2 ] &&
	[ "$(testbed_status alice 'messages unseen' Projects)" = "4 2" ] &&
	[ "$(testbed_status alice 'messages unseen' INBOX)" = "2 2" ] &&
	[ "$(find "$w/spool/new" "$w/spool/cur" -type f | wc -l)" -eq 2 ]
ok $? "the server keeps bob's 2 messages; Projects holds 4, 2 unread"

keys q
wait_for "EXITED rc=0"
ok $? "q exits 0"

# A server without LIST-STATUS (the same Dovecot, told to offer less):
# the counts come from one STATUS per folder, and again every second.
sed -i '/^protocol imap {/a\
  imap_capability = IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED CONDSTORE QRESYNC ESEARCH SPECIAL-USE MOVE' \
	"$TESTBED_CONF"
testbed_doveadm reload >/dev/null 2>&1
sed -i 's/^status_interval = 1h$/status_interval = 1s/' "$w/config"
sleep 1
# a second session, then the first goes (the tmux server stays up)
old=$sess
sess=${sess}2
tui_run "$w" -F $w/config -d $w/log -a tb
tm kill-session -t "$old"
wait_for "connected · idle"
keys c
wait_line "Projects " "2/4" && wait_line "Archive" "0/1" &&
	wait_line "pons " "1/1" && ! grep -q "LIST-STATUS" "$w/log" &&
	grep -q "STATUS Projects" "$w/log"
ok $? "without LIST-STATUS the counts come from STATUS"
msg "Filed later" | testbed_deliver alice Archive >/dev/null
wait_line "Archive" "1/2"
ok $? "and a delivery into Archive shows there with no key press"
keys q
wait_gone "tb  IMAP"
keys q
wait_for "EXITED rc=0"
ok $? "q exits 0 again"
tui_done
