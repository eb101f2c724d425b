#!/bin/sh
# SPDX-License-Identifier: ISC
# Reloading the configuration on demand: SIGHUP and the reload-config key
# (<F5>) read the file again, apply what applies live (help bar, index
# format, colours) and say what waits for a reconnect (accounts); a broken
# file is reported as FILE:LINE and the old settings stay.  The real pons
# in tmux.
set -u
. "${PONS_SRCDIR:-.}/tests/tui/tui-lib.sh"

md="$tmp/md"
cfg="$tmp/config"
mkdir -p "$md/cur" "$md/new" "$md/tmp"
cat >"$md/cur/1.pons:2,S" <<'MSG'
From: Ada <ada@example.org>
To: me@example.org
Subject: Reload me
Date: Mon, 2 Mar 2026 10:00:00 +0000

body
MSG
printf '# mine\n[ui]\nhelp_bar = yes\n' >"$cfg"

tui_start -F "$cfg" -f "$md"
wait_for "Reload me" && wait_for "q:Quit"
ok $? "the index shows the message and the help bar"

printf '# mine\n[ui]\nhelp_bar = no\n' >"$cfg"
kill -HUP "$(tui_pid)"
wait_for "Reloaded: applied help_bar." && wait_gone "q:Quit"
ok $? "SIGHUP reloads: the help bar goes away, the note names it"

# the key: an index format and a colour apply live; a new account waits
cat >"$cfg" <<'EOF'
# mine
[ui]
help_bar = no
index_format = RL<%s>

[colors]
status = white red

[account "later"]
protocol = imap
host = imap.example.org
EOF
keys F5
wait_for "RL<Reload me>"
ok $? "<F5> reloads: the new index format is on screen"
s=$(screen)
echo "$s" | grep -qF "applied index_format, colors.status" &&
	echo "$s" | grep -qF "needs a reconnect (next start): new account.later"
ok $? "the note says what applied and what needs a reconnect"
# the status line is now drawn white on red (SGR 41 or 48;5;1)
tm capture-pane -e -p -t "$sess" | grep -F -- "-- pons" |
	grep -qE '\[(41|48;5;1)m|;41m|;48;5;1m'
ok $? "the status colour from [colors] is applied"

printf '# mine\n[ui]\nhelp_bar = no\nindex_format = RL<%%s>\n[colors]\nstatus = white red\n[account "later"]\nprotocol = imap\nhost = imap.example.org\n' >"$cfg"
keys F5
wait_for "Reloaded: nothing changed."
ok $? "reloading an unchanged file says nothing changed"

printf '[ui]\nhelp_bar = maybe\nindex_format = XX%%s\n' >"$cfg"
keys F5
wait_for "Not reloaded (1 error, old settings kept):" &&
	screen | grep -qF "$cfg:2:" && screen | grep -qF "RL<Reload me>" &&
	! screen | grep -qF "q:Quit" && ! screen | grep -qF "XXReload me"
ok $? "a broken file: FILE:LINE shown, the old settings stay"

printf '[ui]\nhelp_bar = maybe\nsort = sideways\n' >"$cfg"
kill -HUP "$(tui_pid)"
wait_for "Not reloaded (2 errors, old settings kept): $cfg:2:"
ok $? "SIGHUP on a broken file: the first error and how many more"

keys '?'
wait_for "Keys of the index screen"
keys G
wait_for "reload-config"
screen | grep -F "reload-config" | grep -qF "<F5>"
ok $? "the ? help lists reload-config on <F5>"
keys q
wait_gone "reload-config"

printf '[ui]\nhelp_bar = yes\n' >"$cfg"
keys F5
wait_for "q:Quit" && wait_for "Reload me" && ! screen | grep -qF "RL<"
ok $? "after the file is fixed a reload applies it (format back to built-in)"

keys q
i=0
while tm has-session -t "$sess" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
! tm has-session -t "$sess" 2>/dev/null
ok $? "q still quits after reloads (the session ends with pons)"
tui_done
