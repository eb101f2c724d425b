#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of the settings screen: the real pons binary in a
# detached tmux (private socket, fixed size), driven with send-keys and
# checked with capture-pane and on the configuration file.
#  - round trip: a hand-written file with comments, odd spacing and x-
#    keys; a bool, an enum, a number (and a refused out-of-range number)
#    and an account option changed; saved; only those lines differ;
#  - an outside edit made while the screen is open is not overwritten;
#  - leaving with unsaved changes asks (cancel, discard);
#  - S opens the screen from the index, q returns there.
# Prints TAP.  Polls with a timeout; no fixed long sleeps.
set -u
: "${PONS_SRCDIR:=.}"
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"

data="$PONS_SRCDIR/tests/data/settings"
cfg="$tmp/config"
sess=none

# wait_line REGEX: poll until a screen line matches the extended regex.
wait_line() {
	i=0
	while [ $i -lt 80 ]; do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# find TEXT: / search, and wait for the prompt to go.
find() {
	keys /
	wait_for "Find option:"
	keys "$1" Enter
	wait_gone "Find option:"
}

# start ARGS: pons in a new session (earlier ones stay until the end:
# killing the last session of a tmux server races with the next start).
# $start_env is put in pons's environment.
nsess=0
start_env=
start() {
	nsess=$((nsess + 1))
	sess=pons$nsess
	tm new-session -d -s "$sess" -x 120 -y 30 \
	    "env TERM=screen-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$tmp \
	    $start_env $PONS_BIN $*; echo EXITED rc=\$?; sleep 60"
}

cp "$data/config.in" "$cfg"
chmod 600 "$cfg"

start -F "$cfg" --settings
wait_for "-- pons: settings --"
ok $? "pons --settings opens the settings screen"
find "password prefer"
s=$(screen)
echo "$s" | grep -qE 'password +\(set\)' && ! echo "$s" | grep -qF "s3cret"
ok $? "a password is shown as (set), never its value"

# a bool: Enter toggles; the row is marked changed and unsaved
find threads
keys Enter
wait_line '^\*\+ threads +no'
ok $? "Enter toggles a bool, marked * (not default) and + (unsaved)"

# an enum: found by words of its help, picked from a list
find "order of messages"
keys Enter
wait_for "> date"
r=$?
keys j j j j Enter
wait_line '^\*\+ sort +subject'
[ $r -eq 0 ] && [ $? -eq 0 ]
ok $? "/ finds by help words; an enum is picked from a list"

# a number: out of range is refused in place with the reason
find pager_context
keys Enter
wait_for "pager_context (0..100):"
ok $? "a number is asked for with its range"
keys C-u 500 Enter
wait_for "out of range 0 to 100"
r=$?
s=$(screen)
[ $r -eq 0 ] && echo "$s" | grep -qF "pager_context (0..100): 500" &&
	echo "$s" | grep -qE '^ +pager_context +2'
ok $? "500 is refused with the reason, the prompt stays, nothing changes"
keys C-u 5 Enter
wait_line '^\*\+ pager_context +5'
ok $? "5 is taken"

# an account option
find keep_on_server
keys Enter
wait_line 'keep_on_server +no'
ok $? "an account's option is changed"

# leaving with unsaved changes asks; cancel stays
keys q
wait_for "Save the changes?"
r=$?
keys c
wait_for "Still here"
[ $r -eq 0 ] && [ $? -eq 0 ] && screen | grep -qF -- "-- pons: settings --"
ok $? "q with unsaved changes asks; c stays"

# save: only the changed lines differ
keys w
wait_for "Saved to"
r=$?
diff "$data/config.expected" "$cfg" >"$tmp/diff" 2>&1
[ $r -eq 0 ] && [ $? -eq 0 ]
ok $? "w saves: the file equals the expected one (only changed lines)"
[ $r -ne 0 ] || [ -s "$tmp/diff" ] && sed 's/^/#   /' "$tmp/diff"
[ "$(diff "$data/config.in" "$cfg" | grep -c '^[<>]')" -eq 8 ]
ok $? "diff against the original: 4 lines out, 4 in"
[ "$(stat -c %a "$cfg")" = 600 ]
ok $? "the file keeps its mode 0600"

# an outside edit while the screen is open is not overwritten
find mouse
keys Enter
wait_line '^\*\+ mouse +yes'
sed 's/^x-my-thing = kept as is$/x-my-thing = edited outside/' "$cfg" \
	>"$tmp/edit" && cat "$tmp/edit" >"$cfg"
keys w
wait_for "changed outside pons"
ok $? "save after an outside edit asks first"
keys y
wait_for "Saved to"
r=$?
[ $r -eq 0 ] && grep -qx "x-my-thing = edited outside" "$cfg" &&
	grep -qx "mouse = yes" "$cfg" && grep -qx "threads = no" "$cfg"
ok $? "y saves on top: the outside edit and our change are both there"

# an outside edit that breaks the file: nothing is written over it
cp "$cfg" "$tmp/saved"
find confirm_delete
keys Enter
wait_line '^\*\+ confirm_delete +yes'
printf '[ui]\nbogus_option = 1\n' >>"$cfg"
cp "$cfg" "$tmp/broken"
keys w
wait_for "now has errors"
r=$?
[ $r -eq 0 ] && cmp -s "$tmp/broken" "$cfg"
ok $? "an outside edit that breaks the file: not saved, the file untouched"
cat "$tmp/saved" >"$cfg"

# leaving with unsaved changes: n discards and (standalone) leaves pons
cp "$cfg" "$tmp/before"
find help_bar
keys Enter
wait_line '^\*\+ help_bar +no'
keys q
wait_for "Save the changes?"
keys n
wait_for "EXITED rc=0"
r=$?
cmp -s "$tmp/before" "$cfg"
[ $r -eq 0 ] && [ $? -eq 0 ]
ok $? "n discards: pons leaves, the file is unchanged"

# S opens the settings from the index; q returns to it
mkdir -p "$tmp/md/cur" "$tmp/md/new" "$tmp/md/tmp"
printf 'From: Alice <alice@example.org>\nSubject: Settings test\nDate: Tue, 25 Nov 2025 10:00:00 +0000\n\nhi\n' \
	>"$tmp/md/cur/1.a:2,S"
start -F "$cfg" -f "$tmp/md"
wait_for "Settings test"
screen | head -1 | grep -qF "q:Quit"
r=$?
keys S
wait_for "-- pons: settings --"
r2=$?
find help_bar
keys Enter
wait_line '^\*\+ help_bar +no'
keys w
wait_for "Saved"
keys q
wait_for "Settings test"
[ $r -eq 0 ] && [ $r2 -eq 0 ] && [ $? -eq 0 ] &&
	! screen | grep -qF -- "-- pons: settings --"
ok $? "S opens the settings from the index, q returns to it"
! screen | head -1 | grep -qF "q:Quit" && grep -qx "help_bar = no" "$cfg"
ok $? "a saved change applies live: the help bar is gone from the index"
keys q
wait_for "EXITED rc=0"
ok $? "pons exits cleanly"

# keys and accounts, on a fresh copy; home's spool holds a message
cp "$data/config.in" "$cfg"
mkdir -p "$tmp/.local/share/pons/home/cur" "$tmp/.local/share/pons/home/new" \
	"$tmp/.local/share/pons/home/tmp"
echo "Subject: kept" >"$tmp/.local/share/pons/home/cur/1.x:2,S"
start -F "$cfg" --settings
wait_for "-- pons: settings --"
# nothing unsaved here: an outside edit shows at the next key
find mouse
sed 's/^mouse = no$/mouse = yes/' "$cfg" >"$tmp/edit" && cat "$tmp/edit" >"$cfg"
keys j
wait_for "The file changed on disk: reloaded"
r=$?
wait_line '^\* +mouse +yes'
[ $r -eq 0 ] && [ $? -eq 0 ]
ok $? "nothing unsaved: an outside edit is reloaded and shown at the next key"
cp "$cfg" "$tmp/good"
echo "this is not an option" >>"$cfg"
keys j
wait_for "The file changed on disk and has errors: $cfg:30:"
r=$?
cat "$tmp/good" >"$cfg"
[ $r -eq 0 ] && screen | grep -qE '^\* +mouse +yes'
ok $? "an outside edit that breaks the file is reported, the screen keeps its values"
find "index: delete-message"
keys Enter
wait_for "Press the key to bind"
r=$?
keys Z
wait_line '^\*\+ index: delete-message +Z, d'
[ $r -eq 0 ] && [ $? -eq 0 ]
ok $? "a key row: Enter, then the key pressed is bound"
keys D
wait_line '^ \+ index: delete-message +d$'
ok $? "D on a key row: back to the default keys"
keys Enter
wait_for "Press the key to bind"
keys Z
wait_line '^\*\+ index: delete-message +Z, d'


keys a
wait_for "New account name:"
keys work Enter
wait_for "(f)ind the settings, or (m)anual entry?"
keys m
wait_for "POP3 - one-way: mail"
r=$?
screen | grep -qF "IMAP - two-way: the server is the truth"
[ $r -eq 0 ] && [ $? -eq 0 ]
ok $? "adding an account explains IMAP and POP3 in one line each"
keys i
wait_for "Host:"
keys imap.example.com Enter
wait_for "User:"
keys me@example.com Enter
wait_for 'Account "work" added'
ok $? "manual entry adds the account"
keys r
wait_for "Rename account to: work"
keys C-u job Enter
wait_for 'Account "job"'
ok $? "r renames the account"
find "spool maildir pop3"
keys Enter
wait_for "spool (Tab completes):"
keys C-u "$tmp/.local/share/pons/ho" Tab
wait_for "spool (Tab completes): $tmp/.local/share/pons/home/"
ok $? "a path is typed with Tab completion"
keys C-g
wait_gone "Tab completes"
find keep_on_server
keys x
wait_for 'Remove account "home"? (y/n)'
ok $? "x asks before removing an account"
keys y
wait_for "stays in $tmp/.local/share/pons/home"
ok $? "removing says where the mail stays"
keys w
wait_for "Saved"
r=$?
[ $r -eq 0 ] && grep -qx '\[account "job"\]' "$cfg" &&
	grep -qx 'host = imap.example.com' "$cfg" &&
	! grep -qF 'account "home"' "$cfg" && ! grep -qF 's3cret' "$cfg" &&
	grep -qx 'Z = delete-message' "$cfg" &&
	grep -qx '#   Comments, blank lines and odd spacing must survive a save.' "$cfg" &&
	grep -qx '  sort   =   date' "$cfg"
ok $? "saved: new account, old one gone, key bound, the rest kept"
keys q
wait_for "EXITED rc=0"
r=$?
[ $r -eq 0 ] && [ -f "$tmp/.local/share/pons/home/cur/1.x:2,S" ]
ok $? "q with nothing unsaved leaves at once; the spool is untouched"

# "find the settings" against the test bed's Dovecot, if there is one:
# discovery looks at "localhost" on the test bed's ports (the port map)
# and trusts only the test CA; the password typed tries the login.
testbed=$PONS_SRCDIR/tests/server/testbed.sh
PATH=$PATH:/usr/sbin:/sbin
if [ -f "$testbed" ] && command -v dovecot >/dev/null 2>&1 &&
    command -v python3 >/dev/null 2>&1 && . "$testbed" &&
    testbed_start >/dev/null; then
	trap 'testbed_stop; tui_cleanup' EXIT
	fc="$tmp/found.conf"
	echo "# found by pons" >"$fc"; chmod 600 "$fc"
	all="993=$TESTBED_IMAPS_PORT,143=$TESTBED_IMAP_PORT,995=$TESTBED_POP3S_PORT,110=$TESTBED_POP3_PORT"
	start_env="PONS_DISCOVER_HOST=localhost PONS_DISCOVER_PORT_MAP=$all PONS_DISCOVER_CA=$TESTBED_CA"
	start -F "$fc" --settings
	wait_for "-- pons: settings --"
	imaps="IMAP localhost:$TESTBED_IMAPS_PORT, implicit TLS - two-way, live"
	pop3s="POP3 localhost:$TESTBED_POP3S_PORT, implicit TLS - one-way download"
	# section NAME: the lines of [account "NAME"] in the saved file
	section() {
		awk -v h="[account \"$1\"]" '$0 == h { f = 1; next }
		    /^\[/ { f = 0 } f' "$fc"
	}
	# has FILE LINE...: each LINE is a whole line of FILE
	has() {
		_f=$1
		shift
		for _l; do
			grep -qx -- "$_l" "$_f" || return 1
		done
	}
	# add_found NAME EMAIL PASSWORD: add an account by finding it
	add_found() {
		keys a
		wait_for "New account name:"
		keys "$1" Enter
		wait_for "(f)ind the settings"
		keys f
		wait_for "Email address:"
		keys "$2" Enter
		wait_for "Password:"
		keys -l "$3"
		keys Enter
		wait_for "Enter the settings by hand"
	}

	# offered TEXT NOTE: both servers listed, TEXT after each, NOTE below
	offered() {
		s=$(screen)
		echo "$s" | grep -qF "$imaps - $1" &&
			echo "$s" | grep -qF "$pop3s - $1" &&
			echo "$s" | grep -qF "$2"
	}

	add_found found alice@localhost alice-pass-1 &&
		offered "login ok as alice" "IMAP login ok.  POP3 login ok."
	ok $? "right password: both servers offered, the login ok on IMAP and POP3"
	! screen | grep -qF "alice-pass-1"
	ok $? "the password typed is never on the screen"
	keys Enter
	wait_for "Keep the password? (c)ommand, (s)ave, (n)o"
	ok $? "after a good login pons asks how to keep the password"
	keys c
	wait_for "Password command:"
	keys "echo alice-pass-1" Enter
	wait_for 'Account "found" added'
	keys w
	wait_for "Saved"
	r=$?
	section found >"$tmp/sec"
	[ $r -eq 0 ] && has "$tmp/sec" "protocol = imap" "host = localhost" \
		"port = $TESTBED_IMAPS_PORT" "user = alice" \
		"password_command = echo alice-pass-1" &&
		! grep -q "^password =" "$fc"
	ok $? "saved: the IMAP server, the user that logged in, password_command, no password line"
	[ $r -ne 0 ] && sed 's/^/#   /' "$fc"

	add_found wrong bob@localhost not-bobs-password &&
		offered "login refused" "IMAP login refused.  POP3 login refused."
	ok $? "wrong password: the refusal is shown for IMAP and for POP3"
	keys Enter
	wait_for "The login was not accepted: no password is kept"
	r=$?
	keys w
	wait_for "Saved"
	section wrong >"$tmp/sec"
	[ $r -eq 0 ] && has "$tmp/sec" "protocol = imap" "user = bob@localhost" &&
		! grep -q "^password" "$tmp/sec"
	ok $? "a refused login keeps the settings and no password"

	chmod 644 "$fc"
	add_found popper bob@localhost bob-pass-2
	keys j Enter
	wait_for "Keep the password?"
	keys s
	wait_for "Warning: the password goes into $fc in clear text"
	ok $? "keeping the password in the file warns (clear text, mode 0600)"
	keys w
	wait_for "Saved"
	r=$?
	section popper >"$tmp/sec"
	[ $r -eq 0 ] && has "$tmp/sec" "protocol = pop3" \
		"port = $TESTBED_POP3S_PORT" "password = bob-pass-2" &&
		[ "$(stat -c %a "$fc")" = 600 ]
	ok $? "saved: the POP3 server, the password line, the file now 0600"
	keys q
else
	for t in 1 2 3 4 5 6 7 8; do
		n=$((n + 1))
		echo "ok $n # SKIP no test bed (dovecot)"
	done
fi
tui_done
