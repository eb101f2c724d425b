#!/bin/sh
# SPDX-License-Identifier: ISC
# End-to-end test of the folder screen on `pons -f MAILDIR` (no server):
# the Maildir and its Maildir++ subfolders with the counts found on disk,
# Enter opening a subfolder, Escape going back, and c in the folder screen
# opening a Maildir typed by path.
set -u

: "${PONS_BIN:?}" "${PONS_SRCDIR:?}"
. "$PONS_SRCDIR/tests/tui/tui-lib.sh"

md() {	# md DIR: an empty Maildir
	mkdir -p "$1/cur" "$1/new" "$1/tmp"
}
put() {	# put DIR SUB NAME SUBJECT
	printf 'From: Local <local@example.org>\nSubject: %s\nDate: Tue, 25 Nov 2025 10:00:00 +0000\nMessage-ID: <%s@x>\n\nbody of %s\n' \
	    "$4" "$3" "$4" >"$1/$2/$3"
}
root=$tmp/Mail
md "$root"
put "$root" new 1.a "Root unread"
put "$root" cur "2.a:2,S" "Root read"
md "$root/.Work"
put "$root/.Work" new 1.b "Work one"
put "$root/.Work" new 2.b "Work two"
put "$root/.Work" cur "3.b:2,S" "Work three"
md "$root/.Work.Old"
put "$root/.Work.Old" cur "1.c:2,S" "Ancient"
md "$tmp/Other"
put "$tmp/Other" new 1.d "Elsewhere"

printf '[ui]\nthreads = no\nmouse = no\n' >"$tmp/config"
tm new-session -d -s "$sess" -x 100 -y 30 \
	"env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	HOME=$tmp $PONS_BIN -F $tmp/config -f $root; echo EXITED rc=\$?; \
	sleep 60"
wait_for "Root unread"
ok $? "-f opens the Maildir"

keys c
wait_for "local  local Maildir" && screen | grep -q '^\*   INBOX .* 1/2' &&
	screen | grep -q '^    Work .* 2/3' &&
	screen | grep -q '^      Old .* 0/1'
ok $? "c lists the Maildir++ subfolders with their counts"

keys Escape
wait_gone "local  local Maildir" && wait_for "Root unread"
ok $? "Escape goes back to the index"

keys c
wait_for "local  local Maildir"
keys j Enter
wait_for "Work two" && wait_for "Work three" && wait_for "local:Work" &&
	! screen | grep -qF "Root unread"
ok $? "Enter on Work shows its messages"

keys c
wait_for "local  local Maildir"
screen | grep -q '^\*   Work .* 2/3'
ok $? "the open subfolder is marked"

keys c
wait_for "Open Maildir:"
keys "$tmp/Other" Enter
wait_for "Elsewhere"
ok $? "c in the folder screen opens a Maildir by its path"

keys q
wait_for "EXITED rc=0"
ok $? "q exits 0"

# sidebar = yes: the folder list beside the index, with unread counts
printf '[ui]\nthreads = no\nmouse = no\nsidebar = yes\n' >"$tmp/config"
tm kill-session -t "$sess"
tm new-session -d -s "$sess" -x 100 -y 30 \
	"env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	HOME=$tmp $PONS_BIN -F $tmp/config -f $root; echo EXITED rc=\$?; \
	sleep 60"
wait_for "Root unread" && screen | grep -q '^local  *│' &&
	screen | grep -q '^ INBOX  *1│' &&
	screen | grep -q '^ Work  *2│' && screen | grep -q '^  Old  *│'
ok $? "sidebar = yes shows the folders and unread counts beside the index"
put "$root/.Work" new 4.b "Work four"
i=0
while [ $i -lt 100 ] && ! screen | grep -q '^ Work  *3│'; do
	sleep 0.1; i=$((i + 1))
done
screen | grep -q '^ Work  *3│'
ok $? "the sidebar's count follows new mail on disk"
keys q
wait_for "EXITED rc=0"
tui_done
