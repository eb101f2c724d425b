# SPDX-License-Identifier: ISC
# Shell helpers around tests/integration/imap-driver for the IMAP fault
# tests: one driver at a time, its commands through a FIFO on fd 3, its
# events in $w/out.
#
#	drv_start DIR DRIVER-ARGS...	start it (protocol log DIR/proto.log,
#					cache DIR/cache.db); sets w=DIR, drv_pid
#	drv_say LINE			send a command
#	drv_wait PATTERN [SECONDS [COUNT]]	until COUNT (1) lines of out match
#					(default 20 s); 1 on time-out
#	drv_quit			quit; 0 if it exited 0 within 5 s
#	drv_kill			kill it if it runs (for traps)
DRIVER=${PONS_BUILDDIR:-${PONS_SRCDIR:-.}}/tests/integration/imap-driver
drv_pid=

drv_start() {
	w=$1; shift
	mkfifo "$w/in"
	# read-write: the open never waits for the writer
	"$DRIVER" -c "$w/cache.db" -d "$w/proto.log" "$@" <>"$w/in" \
	    >"$w/out" 2>"$w/err" &
	drv_pid=$!
	exec 3>"$w/in"
}

drv_say() {
	echo "$*" >&3
}

# A count grep could not give is no count: the wait goes on (an empty
# one made the test below fail with an error, and the wait succeed).
drv_wait() {
	_dw=0
	while :; do
		_dc=$(grep -c -- "$1" "$w/out" 2>/dev/null)
		case $_dc in
		''|*[!0-9]*) _dc=0 ;;
		esac
		[ "$_dc" -ge "${3:-1}" ] && return 0
		[ $_dw -ge $((${2:-20} * 10)) ] && return 1
		sleep 0.1
		_dw=$((_dw + 1))
	done
}

drv_quit() {
	drv_say quit
	_dw=0
	while kill -0 "$drv_pid" 2>/dev/null && [ $_dw -lt 50 ]; do
		sleep 0.1; _dw=$((_dw + 1))
	done
	kill -0 "$drv_pid" 2>/dev/null && return 1
	wait "$drv_pid"
	_dw=$?
	drv_pid=
	exec 3>&-
	[ $_dw -eq 0 ]
}

drv_kill() {
	exec 3>&-
	if [ -n "$drv_pid" ]; then
		kill "$drv_pid" 2>/dev/null
		wait "$drv_pid" 2>/dev/null
	fi
	drv_pid=
}
