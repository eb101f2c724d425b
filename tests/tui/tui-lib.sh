# SPDX-License-Identifier: ISC
# Shared helpers of the tmux end-to-end tests: a private tmux server, TAP
# output, polling of the screen with a timeout, and the test bed.  Source
# it with PONS_BIN and PONS_SRCDIR set; it creates $tmp (removed at exit)
# and the tmux socket in it.
: "${PONS_BIN:?PONS_BIN must name the pons binary}"
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pons-tui.XXXXXX")
sock="$tmp/tmux.sock"
sess=pons
n=0
failed=0

tm() { tmux -S "$sock" -f /dev/null "$@"; }
tui_cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$tmp"
}
trap tui_cleanup EXIT
trap 'exit 1' INT TERM

# tui_testbed: the test bed's Dovecot for this test (TESTBED_* settings
# such as TESTBED_NO_QRESYNC are read from the environment).  No
# dovecot skips the test; a test bed that does not start fails it.
tui_testbed() {
	PATH=$PATH:/usr/sbin:/sbin
	if ! command -v dovecot >/dev/null 2>&1; then
		echo "1..0 # SKIP no dovecot"
		exit 0
	fi
	. "$PONS_SRCDIR/tests/server/testbed.sh"
	if ! testbed_start >/dev/null 2>&1; then
		echo "Bail out! test bed did not start"
		exit 1
	fi
	trap 'tui_cleanup; testbed_stop' EXIT
}

screen() { tm capture-pane -p -t "$sess" 2>/dev/null; }
keys() { tm send-keys -t "$sess" "$@"; }

ok() {	# ok STATUS NAME: one TAP line; the screen is shown on failure
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		echo "# screen:"
		screen | sed 's/^/#   /'
	fi
}

# wait_for TEXT [TENTHS]: poll the screen for TEXT (fixed string).
wait_for() {
	_i=0
	while [ $_i -lt "${2:-300}" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# wait_gone TEXT [TENTHS]: poll until TEXT is no longer on the screen.
wait_gone() {
	_i=0
	while [ $_i -lt "${2:-300}" ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# wait_cmd CMD...: poll until CMD succeeds (~10 s), e.g. a doveadm check.
wait_cmd() {
	_i=0
	while [ $_i -lt 100 ]; do
		"$@" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# tui_start ARGS...: run pons ARGS in the session, 100x30, UTF-8.
tui_start() {
	tm new-session -d -s "$sess" -x 100 -y 30 \
	    "exec env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    HOME=$tmp $PONS_BIN $*"
}

# tui_run DIR ARGS...: like tui_start, with HOME and XDG_CACHE_HOME under
# DIR, and "EXITED rc=N" on the screen once pons ends (for exit checks).
tui_run() {
	_d=$1
	shift
	tm new-session -d -s "$sess" -x 100 -y 30 \
	    "env TERM=screen-256color TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    HOME=$_d XDG_CACHE_HOME=$_d/cache $PONS_BIN $*; \
	    echo EXITED rc=\$?; sleep 60"
}

# tui_imap_account NAME: the settings of an account NAME for alice's
# mail on the test bed's IMAPS port (for a config file's here-document).
tui_imap_account() {
	printf '[account "%s"]\nprotocol = imap\nhost = localhost\n' "$1"
	printf 'port = %s\ntls = implicit\nuser = alice\n' "$TESTBED_IMAPS_PORT"
	printf 'password_command = echo alice-pass-1\nca_file = %s\n' \
	    "$TESTBED_CA"
}

# The pid of pons in the session (tui_start execs it).
tui_pid() { tm display-message -p -t "$sess" '#{pane_pid}'; }

tui_done() {	# print the plan and exit with the result
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
