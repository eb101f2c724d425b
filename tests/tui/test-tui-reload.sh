#!/bin/sh
# SPDX-License-Identifier: ISC
# SIGHUP reloads the configuration file and applies what applies live; a
# broken file is reported and changes nothing.  The real pons in tmux.
set -u
. "${PONS_SRCDIR:-.}/tests/tui/tui-lib.sh"

md="$tmp/md"
mkdir -p "$md/cur" "$md/new" "$md/tmp"
cat >"$md/cur/1.pons:2,S" <<'MSG'
From: Ada <ada@example.org>
To: me@example.org
Subject: Reload me
Date: Mon, 2 Mar 2026 10:00:00 +0000

body
MSG
printf '# mine\n[ui]\nhelp_bar = yes\n' >"$tmp/config"

tui_start -F "$tmp/config" -f "$md"
wait_for "Reload me" && wait_for "q:Quit"
ok $? "the index shows the message and the help bar"

printf '# mine\n[ui]\nhelp_bar = no\n' >"$tmp/config"
kill -HUP "$(tui_pid)"
wait_for "Configuration reloaded" && wait_gone "q:Quit"
ok $? "SIGHUP reloads: the help bar goes away"

printf '[ui]\nhelp_bar = maybe\n' >"$tmp/config"
kill -HUP "$(tui_pid)"
wait_for "Not reloaded:" && screen | grep -qF "config:2:" &&
	! screen | grep -qF "q:Quit" && screen | grep -qF "Reload me"
ok $? "a broken file is reported with its line and changes nothing"

keys q
i=0
while tm has-session -t "$sess" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
! tm has-session -t "$sess" 2>/dev/null
ok $? "q still quits after reloads (the session ends with pons)"
tui_done
