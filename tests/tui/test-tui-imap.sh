#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of `pons` on an IMAP account: the real binary in a
# detached tmux against the test bed's Dovecot over TLS with the test CA.
# The index must follow the server without a key press (new mail, flags
# set by another client, a server restart) and actions must reach the
# server at once (checked with doveadm).  Prints TAP; polls with timeouts.
set -u
: "${PONS_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PONS_BIN:=$PONS_SRCDIR/pons}"
export PONS_SRCDIR
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"
tui_testbed

flags_of() {	# flags_of SUBJECT-WORD: the server's flags of that message
	testbed_fetch alice 'flags' INBOX subject "$1" 2>/dev/null
}
has_flag() { flags_of "$1" | grep -qF "$2"; }
count_is() { [ "$(testbed_status alice messages INBOX 2>/dev/null)" = "$1" ]; }

msg() {	# msg SUBJECT BODY-LINE
	printf 'From: Alice Example <alice@example.org>\nTo: bob@example.net\nSubject: %s\nDate: Tue, 25 Nov 2025 10:00:00 +0000\nMessage-ID: <%s@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n%s\n' "$1" "$(echo "$1" | tr -c 'a-zA-Z0-9\n' x)" "$2"
}
msg "Lunch on Friday" "shall we have lunch on Friday?" | testbed_deliver alice INBOX >/dev/null
msg "=?utf-8?q?Caf=C3=A9_report?=" "The numbers are in: caf=C3=A9 revenue up." | testbed_deliver alice INBOX >/dev/null
msg "Weekly minutes" "nothing happened" | testbed_deliver alice INBOX >/dev/null

cat >"$tmp/config" <<EOF
[ui]
threads = no
mouse = no

[account "other"]
protocol = pop3
host = localhost
port = $TESTBED_POP3S_PORT
user = bob
password_command = echo bob-pass-2
ca_file = $TESTBED_CA
spool = $tmp/other-spool

$(tui_imap_account tb)
EOF
chmod 600 "$tmp/config"

tm new-session -d -s pons -x 100 -y 30 \
	"env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$tmp \
	XDG_CACHE_HOME=$tmp/cache $PONS_BIN -F $tmp/config -d $tmp/log -a tb; \
	echo EXITED rc=\$?; sleep 60"

# 1: -a tb opens that account (not the first one); the index shows the
# seeded messages, subjects decoded
wait_for "Weekly minutes" && wait_for "Café report" &&
	screen | grep -qF "Lunch on Friday"
ok $? "-a tb: the index shows the INBOX, subjects decoded"
wait_for "connected · idle" && screen | grep -qF "tb:INBOX"
ok $? "status line: tb:INBOX, connected · idle"

# 3: Enter shows the decoded body
keys / ; wait_for "Search for:"; keys "report" Enter
wait_gone "Search for:"
keys Enter
wait_for "café revenue up"
ok $? "Enter shows the decoded body"
keys q
wait_for "Weekly minutes"

# 4-5: d sets \Deleted on the server, $ expunges there
keys d
wait_cmd has_flag report '\Deleted'
ok $? "d marks the message \\Deleted on the server"
keys '$'
wait_cmd count_is 2
r=$?
wait_gone "Café report"
[ $r -eq 0 ] && [ $? -eq 0 ]
ok $? "\$ expunges on the server and the line goes"

# 6: F flags on the server
keys / ; wait_for "Search for:"; keys "Weekly" Enter
wait_gone "Search for:"
keys F
wait_cmd has_flag Weekly '\Flagged'
ok $? "F sets \\Flagged on the server"

# 7: new mail appears without a key press
msg "Fresh delivery" "hot off the press" | testbed_deliver alice INBOX >/dev/null
wait_for "Fresh delivery"
ok $? "a delivered message appears without a key press"
# its text is fetched ahead, a moment later (AI_NEWMAIL_MS), unasked
fresh=$(testbed_fetch_field alice uid INBOX subject "Fresh delivery")
fetched_ahead() { grep -q "C: a[0-9]* UID FETCH $fresh (UID BODY.PEEK\[\])" "$tmp/log"; }
[ -n "$fresh" ] && wait_cmd fetched_ahead
ok $? "the new message's text is fetched ahead without opening it"

# 8: a flag set by another client shows without a key press
line() { screen | grep -F "$1" | head -1; }
before=$(line "Lunch on Friday")
testbed_flag_add alice '\Flagged' INBOX subject Lunch >/dev/null 2>&1
i=0
while [ $i -lt 100 ] && [ "$(line "Lunch on Friday")" = "$before" ]; do
	sleep 0.1; i=$((i + 1))
done
[ "$(line "Lunch on Friday")" != "$before" ] &&
	line "Lunch on Friday" | grep -q '!'
ok $? "a flag set elsewhere shows without a key press"

# after a suspend (SIGSTOP, SIGCONT) the link is checked at once: DONE
# goes out well before the idle timeout would have sent it
shpid=$(tm display-message -p -t pons '#{pane_pid}')
ppons=$(pgrep -P "$shpid" | head -1)
dones=$(grep -c 'C: DONE' "$tmp/log")
[ -n "$ppons" ] && kill -STOP "$ppons" && sleep 0.5 && kill -CONT "$ppons" &&
	i=0 && while [ $i -lt 50 ] &&
	[ "$(grep -c 'C: DONE' "$tmp/log")" -le "$dones" ]; do
		sleep 0.1; i=$((i + 1))
	done
[ "$(grep -c 'C: DONE' "$tmp/log")" -gt "$dones" ] &&
	wait_for "connected · idle"
ok $? "resumed after a suspend: the link is checked at once"

# 9-10: the server goes away and comes back
testbed_pause >/dev/null 2>&1
wait_for "offline"
ok $? "status line says offline while the server is down"
msg "While away" "sent while pons was offline" >"$tmp/away"
testbed_resume >/dev/null 2>&1
testbed_deliver alice INBOX "$tmp/away" >/dev/null
wait_for "While away" 900 && wait_for "connected · idle" &&
	s=$(screen) && echo "$s" | grep -qF "Lunch on Friday" &&
	echo "$s" | grep -qF "Weekly minutes" &&
	echo "$s" | grep -qF "Fresh delivery" &&
	! echo "$s" | grep -qF "Café report"
ok $? "after the restart: reconnected, the index is whole"

# 11: q quits cleanly
keys q
wait_for "EXITED rc=0"
ok $? "q exits 0"

# 12-13: with the server down, a new start paints the index from the cache
tm kill-session -t pons
testbed_pause >/dev/null 2>&1
tm new-session -d -s pons -x 100 -y 30 \
	"env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$tmp \
	XDG_CACHE_HOME=$tmp/cache $PONS_BIN -F $tmp/config -a tb; \
	echo EXITED rc=\$?; sleep 60"
wait_for "While away" && wait_for "offline" &&
	screen | grep -qF "Weekly minutes"
ok $? "server down: the index comes from the cache, status offline"
keys / ; wait_for "Search for:"; keys "Weekly" Enter
wait_gone "Search for:"
keys Enter
wait_for "nothing happened"
r=$?; [ -n "${SHOWSCREEN-}" ] && screen >&2
ok $r "server down: a message read before opens from the cache"
keys q
wait_for "While away"
testbed_resume >/dev/null 2>&1
wait_for "connected · idle" 900
ok $? "the server is back: connected · idle"
keys q
wait_for "EXITED rc=0"
ok $? "q exits 0 again"
tui_done
