# SPDX-License-Identifier: ISC
# pons's private Dovecot test bed: a POSIX sh library for shell tests.
#
#	. "$PONS_SRCDIR/tests/server/testbed.sh"
#	testbed_start || exit 1		# starts Dovecot, installs an EXIT trap
#	testbed_deliver alice INBOX msg.eml
#	[ "$(testbed_status alice messages INBOX)" = 1 ]
#	testbed_stop			# optional: the trap does it too
#
# testbed_start creates a fresh directory (mktemp, short path), makes the
# test certificates (mkcerts.sh), writes a dovecot.conf of its own (own
# instance_name, base_dir and state_dir, 127.0.0.1 only, ports picked free),
# starts Dovecot and waits until every port accepts connections (and the
# clear-text ones greet).  Nothing outside that directory is written, apart
# from a per-user cache of the certificates (see _testbed_certs).
#
# Facts a test may rely on:
# - Before STARTTLS/STLS the server offers AUTH=PLAIN and no LOGINDISABLED
#   (Dovecot counts 127.0.0.1 as secured), but every login there fails
#   with NO [AUTHENTICATIONFAILED] / -ERR: the test bed refuses it itself.
# - A wrong password is answered after about 0.5 s, with no growing
#   penalty.  Mailboxes use "/" as separator; Drafts, Sent, Trash and Junk
#   exist with their SPECIAL-USE flags.  POP3 UIDLs are %08Xv%08Xu.
# - INTERNALDATE of seeded mail is the generated arrival time.
#
# Listeners (all on 127.0.0.1; the certificate names localhost and 127.0.0.1):
#	TESTBED_IMAPS_PORT	IMAP, implicit TLS
#	TESTBED_IMAP_PORT	IMAP, STARTTLS offered, no login before it
#	TESTBED_POP3S_PORT	POP3, implicit TLS
#	TESTBED_POP3_PORT	POP3, STLS offered, no login before it
# Users (passwd-file, Maildir under the directory):
#	alice / alice-pass-1	bob / bob-pass-2	demo / demo-pass
#
# Exported after testbed_start: TESTBED_DIR, TESTBED_CONF, TESTBED_CA
# (the CA's PEM), TESTBED_CERTS (directory with all of mkcerts.sh's files),
# TESTBED_HOST (127.0.0.1), the four ports above, TESTBED_LOG (Dovecot's log).
#
# Traps: testbed_start sets `trap testbed_stop EXIT` (and INT/TERM/HUP that
# stop and exit).  A caller that wants its own EXIT trap sets it AFTER
# testbed_start and calls testbed_stop from it:
#	trap 'rm -f "$tmp"; testbed_stop' EXIT
# Set TESTBED_NO_TRAP=1 before testbed_start to get no trap at all.
# Set TESTBED_NO_QRESYNC=1 for a server without CONDSTORE, QRESYNC and
# NOTIFY after login (Dovecot's imap_capability): an expunge made
# elsewhere then comes as one EXPUNGE per message.
# testbed_stop is idempotent, keeps $? intact and never fails.
#
# Functions (USER is a login name, MAILBOX an IMAP name such as INBOX or
# Archive/2024, SEARCH a doveadm search query such as "uid 3" or "all"):
#	testbed_start / testbed_stop
#	testbed_pause / testbed_resume	stop Dovecot, start it again (same
#					ports, same mail): a server restart
#	testbed_doveadm ARGS...		doveadm -c $TESTBED_CONF ARGS...
#	testbed_add_user USER PASSWORD
#	testbed_maildir USER		path of USER's Maildir (INBOX)
#	testbed_mailbox_path USER MAILBOX	directory of one mailbox
#	testbed_create_mailbox USER MAILBOX...	(subscribed; ok if it exists)
#	testbed_delete_mailbox USER MAILBOX
#	testbed_deliver USER MAILBOX [FILE]	store a message (stdin without
#					FILE), as new mail arriving
#	testbed_seed USER N [MAILBOX [SEED]]	N generated messages (genmail.py)
#	testbed_genmail ARGS...		run genmail.py
#	testbed_status USER 'FIELDS' MAILBOX	values only: "3 1"
#	testbed_fetch USER 'FIELDS' MAILBOX [SEARCH...]	doveadm fetch output
#	testbed_fetch_field USER FIELD MAILBOX [SEARCH...]	one value a line
#	testbed_flags USER MAILBOX UID
#	testbed_flag_add / testbed_flag_remove USER 'FLAGS' MAILBOX SEARCH...
#	testbed_expunge USER MAILBOX SEARCH...
#	testbed_move USER DEST MAILBOX SEARCH...
#	testbed_kick USER		drop USER's connections
# For C tests: tests/server/testbed-run.sh CMD... runs CMD inside a test bed.
#
# Options (environment, before testbed_start):
#	TESTBED_PERSIST=DIR	use DIR (created if needed, kept by testbed_stop,
#				data kept across starts) instead of a temp dir
#	TESTBED_MAIL_UID	numeric id mail is stored as when run as root
#				(default 64123; it needs no passwd entry)
#	TESTBED_KEEP=1		testbed_stop leaves the directory (debugging)

TESTBED_HOST=127.0.0.1
: "${TESTBED_MAIL_UID:=64123}"
# The system's python3 starts in a few ms; a version manager's shim can take
# a second.  Tests may use "$TESTBED_PYTHON" too.
if [ -z "${TESTBED_PYTHON-}" ]; then
	if [ -x /usr/bin/python3 ]; then
		TESTBED_PYTHON=/usr/bin/python3
	else
		TESTBED_PYTHON=python3
	fi
fi
export TESTBED_PYTHON

# Where mkcerts.sh and genmail.py are: $PONS_SRCDIR/tests/server, else the
# first tests/server found upwards from the sourcing script.
_testbed_find_src() {
	if [ -n "${PONS_SRCDIR-}" ] && [ -f "$PONS_SRCDIR/tests/server/mkcerts.sh" ]; then
		echo "$PONS_SRCDIR/tests/server"
		return 0
	fi
	_tb_d=$(cd "$(dirname "$0")" && pwd)
	while [ "$_tb_d" != / ]; do
		if [ -f "$_tb_d/tests/server/mkcerts.sh" ]; then
			echo "$_tb_d/tests/server"
			return 0
		fi
		[ -f "$_tb_d/mkcerts.sh" ] && { echo "$_tb_d"; return 0; }
		_tb_d=$(dirname "$_tb_d")
	done
	return 1
}
[ -n "${TESTBED_SRC-}" ] || TESTBED_SRC=$(_testbed_find_src)

_testbed_die() {
	echo "testbed: $*" >&2
	return 1
}

_testbed_ports() {	# prints four free TCP ports on 127.0.0.1
	"$TESTBED_PYTHON" -c '
import socket
ss = []
for _ in range(4):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    ss.append(s)
print(" ".join(str(s.getsockname()[1]) for s in ss))
'
}

# Waits (up to 10 s) until every port accepts and the clear-text ports
# (the last two arguments) send their greeting, which Dovecot does only
# once its auth process is ready.
_testbed_wait_ports() {	# tls-port tls-port plain-port plain-port
	"$TESTBED_PYTHON" - "$@" <<'EOF'
import socket, sys, time
deadline = time.monotonic() + 10
for i, p in enumerate(sys.argv[1:]):
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", int(p)), timeout=2)
            if i >= 2:
                line = s.makefile("rb").readline()
                if not line.startswith((b"* OK", b"+OK")):
                    raise OSError("no greeting")
            s.close()
            break
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(1)
            time.sleep(0.02)
EOF
}

_testbed_write_conf() {
	d=$TESTBED_DIR
	if [ "$(id -u)" -eq 0 ]; then
		tb_mailuid=$TESTBED_MAIL_UID
		tb_users="default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull"
		tb_chroot=""
		tb_authuser=dovecot
	else
		tb_mailuid=$(id -u)
		tb_users="default_internal_user = $(id -un)
default_internal_group = $(id -gn)
default_login_user = $(id -un)"
		tb_chroot="chroot ="
		tb_authuser=$(id -un)
	fi
	tb_imapcap=""
	[ -z "${TESTBED_NO_QRESYNC-}" ] ||
	    tb_imapcap="imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID \
ENABLE IDLE UIDPLUS MOVE NAMESPACE SPECIAL-USE ESEARCH LITERAL+ CHILDREN \
UNSELECT LIST-EXTENDED LIST-STATUS"
	cat >"$TESTBED_CONF" <<EOF
# pons test bed: a private Dovecot instance, written by tests/server/testbed.sh
instance_name = $TESTBED_INSTANCE
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
protocols = imap pop3
listen = $TESTBED_HOST
$tb_users
mail_uid = $tb_mailuid
mail_gid = $tb_mailuid
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:~/Maildir
mail_max_userip_connections = 1000
mmap_disable = yes
shutdown_clients = yes
auth_mechanisms = plain login
disable_plaintext_auth = yes
auth_verbose = yes
ssl = yes
ssl_cert = <$TESTBED_CERTS/server.pem
ssl_key = <$TESTBED_CERTS/server.key
ssl_min_protocol = TLSv1.2
pop3_uidl_format = %08Xv%08Xu
# Tests of wrong passwords should not wait (see also service anvil).
auth_failure_delay = 0
# Dovecot's default 256 MB per process runs out while it indexes the
# benchmark's 1,000,000-message mailbox (bench/README).
default_vsz_limit = 4G

# Dovecot counts a connection from its own address as secured, so on
# 127.0.0.1 it would accept a clear-text login before STARTTLS/STLS (and
# offers no LOGINDISABLED).  This test bed refuses such logins anyway:
# %{secured} is "TLS" under TLS and "secured" otherwise, and deny-secured
# lists every user.
passdb {
  driver = passwd-file
  args = $d/deny-%{secured}
  deny = yes
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $d/passwd
}

namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
}

protocol imap {
  mail_max_userip_connections = 1000
  $tb_imapcap
}
protocol pop3 {
  mail_max_userip_connections = 1000
}

service imap-login {
  $tb_chroot
  inet_listener imap {
    port = $TESTBED_IMAP_PORT
  }
  inet_listener imaps {
    port = $TESTBED_IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  $tb_chroot
  inet_listener pop3 {
    port = $TESTBED_POP3_PORT
  }
  inet_listener pop3s {
    port = $TESTBED_POP3S_PORT
    ssl = yes
  }
}
# The auth process may not reach anvil's penalty socket, which turns the
# per-IP failure penalty (2 s doubling to 15 s for 127.0.0.1) off.
service anvil {
  $tb_chroot
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  user = $tb_authuser
}
service stats {
  inet_listener http {
    port = 0
  }
}
EOF
}

# testbed_add_user NAME PASSWORD: adds (or replaces) a user.  Dovecot
# rereads the passwd-file at most once a second: with Dovecot running, this
# returns once the auth process knows a new user (a replaced password may
# take a second more).
testbed_add_user() {
	[ -n "${TESTBED_DIR-}" ] || { _testbed_die "not started"; return 1; }
	_testbed_add_user "$@" || return 1
	[ -n "${TESTBED_PID-}" ] && kill -0 "$TESTBED_PID" 2>/dev/null ||
	    return 0
	_tb_n=0
	while [ $_tb_n -lt 50 ]; do
		testbed_doveadm user "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
		_tb_n=$((_tb_n + 1))
	done
	_testbed_die "Dovecot does not see user $1"
}

_testbed_add_user() {
	_tb_home=$TESTBED_DIR/mail/$1
	mkdir -p "$_tb_home"
	[ "$(id -u)" -eq 0 ] && chown "$TESTBED_MAIL_UID:$TESTBED_MAIL_UID" "$_tb_home"
	_tb_tmp=$TESTBED_DIR/passwd.tmp
	{
		[ -f "$TESTBED_DIR/passwd" ] &&
		    { grep -v "^$1:" "$TESTBED_DIR/passwd" || :; }
		printf '%s:{PLAIN}%s::::%s::\n' "$1" "$2" "$_tb_home"
	} >"$_tb_tmp"
	if [ "$(id -u)" -eq 0 ]; then
		chgrp dovecot "$_tb_tmp" && chmod 640 "$_tb_tmp"
	else
		chmod 600 "$_tb_tmp"
	fi
	mv -f "$_tb_tmp" "$TESTBED_DIR/passwd"
	# Users listed here may log in only under TLS (see the passdb).
	: >>"$TESTBED_DIR/deny-TLS"
	{
		[ -f "$TESTBED_DIR/deny-secured" ] &&
		    { grep -v "^$1\$" "$TESTBED_DIR/deny-secured" || :; }
		echo "$1"
	} >"$_tb_tmp"
	mv -f "$_tb_tmp" "$TESTBED_DIR/deny-secured"
	cp "$TESTBED_DIR/deny-secured" "$_tb_tmp"
	mv -f "$_tb_tmp" "$TESTBED_DIR/deny-"
	chmod 644 "$TESTBED_DIR/deny-TLS" "$TESTBED_DIR/deny-secured" "$TESTBED_DIR/deny-"
}

_testbed_launch() {	# starts Dovecot on the configured ports
	rm -f "$TESTBED_DIR/run/master.pid"
	# Dovecot keeps the descriptors it starts with: never a caller's pipe.
	dovecot -c "$TESTBED_CONF" </dev/null >>"$TESTBED_DIR/dovecot.out" 2>&1 || {
		_testbed_die "dovecot did not start:"
		cat "$TESTBED_DIR/dovecot.out" >&2
		return 1
	}
	_testbed_wait_ports "$TESTBED_IMAPS_PORT" "$TESTBED_POP3S_PORT" \
	    "$TESTBED_IMAP_PORT" "$TESTBED_POP3_PORT" || {
		_testbed_die "ports do not answer; log:"
		tail -n 20 "$TESTBED_LOG" >&2
		return 1
	}
	TESTBED_PID=$(cat "$TESTBED_DIR/run/master.pid")
	export TESTBED_PID
}

_testbed_halt() {	# stops Dovecot by its master pid, waits for every child
	_tb_pidf=$TESTBED_DIR/run/master.pid
	[ -f "$_tb_pidf" ] || return 0
	_tb_pid=$(cat "$_tb_pidf" 2>/dev/null)
	[ -n "$_tb_pid" ] || return 0
	kill -0 "$_tb_pid" 2>/dev/null || { rm -f "$_tb_pidf"; return 0; }
	_tb_kids=$(ps -o pid= --ppid "$_tb_pid" 2>/dev/null | tr -d ' ' | tr '\n' ' ')
	kill -TERM "$_tb_pid" 2>/dev/null
	_tb_n=0
	while [ "$_tb_n" -lt 100 ]; do
		_tb_alive=""
		for _tb_p in "$_tb_pid" $_tb_kids; do
			kill -0 "$_tb_p" 2>/dev/null && _tb_alive="$_tb_alive $_tb_p"
		done
		[ -z "$_tb_alive" ] && break
		sleep 0.05
		_tb_n=$((_tb_n + 1))
	done
	for _tb_p in $_tb_alive; do
		kill -KILL "$_tb_p" 2>/dev/null
	done
	rm -f "$_tb_pidf"
	return 0
}

# Certificates: made once per user and version of mkcerts.sh, kept in
# ${TMPDIR:-/tmp}/pons-certs-UID-SUM (or $TESTBED_CERT_CACHE) and copied,
# since openssl is slow on a busy machine.  The cache appears by one
# rename, so parallel tests never see half of it; one not owned by us is
# not used.  TESTBED_CERT_CACHE=none turns it off.
_testbed_certs() {	# dir
	_tb_cache=${TESTBED_CERT_CACHE-}
	if [ -z "$_tb_cache" ]; then
		_tb_sum=$(cksum <"$TESTBED_SRC/mkcerts.sh" | cut -d' ' -f1)
		_tb_cache=${TMPDIR:-/tmp}/pons-certs-$(id -u)-$_tb_sum
	fi
	if [ "$_tb_cache" = none ]; then
		sh "$TESTBED_SRC/mkcerts.sh" "$1"
		return
	fi
	if [ -L "$_tb_cache" ] || { [ -e "$_tb_cache" ] && [ ! -O "$_tb_cache" ]; }; then
		sh "$TESTBED_SRC/mkcerts.sh" "$1"
		return
	fi
	if [ ! -f "$_tb_cache/othersigned.pem" ]; then
		_tb_new=$(mktemp -d "$_tb_cache.new.XXXXXX") || return 1
		sh "$TESTBED_SRC/mkcerts.sh" "$_tb_new" || { rm -rf "$_tb_new"; return 1; }
		chmod 700 "$_tb_new"
		mv -T "$_tb_new" "$_tb_cache" 2>/dev/null || rm -rf "$_tb_new"
		[ -f "$_tb_cache/othersigned.pem" ] || return 1
	fi
	mkdir -p "$1" && cp "$_tb_cache"/*.pem "$_tb_cache"/*.key "$1"/ &&
	    chmod 600 "$1"/*.key
}

# A shell test that prints TAP: testbed_tap N [CHECK...] prints the plan
# "1..N" and defines ok STATUS NAME; without dovecot, or when a CHECK
# (a shell command) fails, it skips all N tests and exits 0; else it
# starts the test bed, or bails out.
testbed_tap() {
	_tt_n=$1
	shift
	n=0
	ok() {
		n=$((n + 1))
		if [ "$1" -eq 0 ]; then echo "ok $n - $2"
		else echo "not ok $n - $2"; fi
	}
	echo "1..$_tt_n"
	PATH=$PATH:/usr/sbin:/sbin
	_tt_run=true
	command -v dovecot >/dev/null || _tt_run=false
	for _tt_c in "$@"; do
		eval "$_tt_c" >/dev/null 2>&1 || _tt_run=false
	done
	if ! $_tt_run; then
		_tt_i=0
		while [ "$_tt_i" -lt "$_tt_n" ]; do
			_tt_i=$((_tt_i + 1))
			echo "ok $_tt_i # SKIP no dovecot"
		done
		exit 0
	fi
	testbed_start >/dev/null 2>&1 ||
	    { echo "Bail out! test bed did not start"; exit 1; }
}

testbed_start() {
	command -v dovecot >/dev/null || PATH=$PATH:/usr/sbin:/sbin
	command -v dovecot >/dev/null || { _testbed_die "dovecot is not installed"; return 1; }
	if [ -n "${TESTBED_PERSIST-}" ]; then
		mkdir -p "$TESTBED_PERSIST" || return 1
		TESTBED_DIR=$(cd "$TESTBED_PERSIST" && pwd)
	else
		TESTBED_DIR=$(mktemp -d /tmp/ptb.XXXXXX) || return 1
	fi
	chmod 755 "$TESTBED_DIR"
	TESTBED_INSTANCE=pons-$(basename "$TESTBED_DIR" | tr -c 'A-Za-z0-9\n' -)
	TESTBED_CONF=$TESTBED_DIR/dovecot.conf
	TESTBED_CERTS=$TESTBED_DIR/certs
	TESTBED_CA=$TESTBED_CERTS/ca.pem
	TESTBED_LOG=$TESTBED_DIR/dovecot.log
	export TESTBED_DIR TESTBED_CONF TESTBED_CERTS TESTBED_CA TESTBED_LOG \
	    TESTBED_HOST TESTBED_INSTANCE
	if [ -z "${TESTBED_NO_TRAP-}" ]; then
		trap testbed_stop EXIT
		trap 'testbed_stop; exit 130' INT
		trap 'testbed_stop; exit 143' TERM
		trap 'testbed_stop; exit 129' HUP
	fi
	[ -n "${TESTBED_SRC-}" ] || {
		_testbed_die "set PONS_SRCDIR (or TESTBED_SRC) to find tests/server"
		return 1
	}
	_testbed_certs "$TESTBED_CERTS" || return 1
	chmod 755 "$TESTBED_CERTS"
	mkdir -p "$TESTBED_DIR/mail" "$TESTBED_DIR/state"
	[ "$(id -u)" -eq 0 ] && chmod 755 "$TESTBED_DIR/mail"
	TESTBED_PID=""
	_testbed_add_user alice alice-pass-1 &&
	    _testbed_add_user bob bob-pass-2 &&
	    _testbed_add_user demo demo-pass || return 1
	# A persistent bed keeps its ports while they stay free.
	_tb_try=0
	while :; do
		if [ -f "$TESTBED_DIR/ports" ] && [ "$_tb_try" -eq 0 ]; then
			_tb_ports=$(cat "$TESTBED_DIR/ports")
		else
			_tb_ports=$(_testbed_ports) || return 1
		fi
		# shellcheck disable=SC2086 # four numbers, split on purpose
		set -- $_tb_ports
		TESTBED_IMAPS_PORT=$1 TESTBED_IMAP_PORT=$2
		TESTBED_POP3S_PORT=$3 TESTBED_POP3_PORT=$4
		export TESTBED_IMAPS_PORT TESTBED_IMAP_PORT TESTBED_POP3S_PORT \
		    TESTBED_POP3_PORT
		echo "$_tb_ports" >"$TESTBED_DIR/ports"
		_testbed_write_conf
		if _testbed_launch; then
			[ -n "${TESTBED_PERSIST-}" ] || _testbed_watch
			return 0
		fi
		_testbed_halt
		_tb_try=$((_tb_try + 1))
		[ "$_tb_try" -lt 3 ] || return 1
		grep -q 'Address already in use' "$TESTBED_LOG" 2>/dev/null ||
		    return 1
	done
}

# A watchdog for a test that dies without running its traps (SIGKILL, a
# harness killing the process group): once the shell that started the
# test bed is gone, it stops Dovecot and removes the directory.  It runs
# in its own session, is nobody's child (a bare `wait` does not wait for
# it), holds none of the caller's descriptors, and testbed_stop ends it.
_testbed_watch() {
	command -v setsid >/dev/null || return 0
	# shellcheck disable=SC2016 # expanded by the watchdog's shell
	setsid -f sh -c '
		parent=$1 dir=$2
		echo $$ >"$dir/watch.pid"
		while kill -0 "$parent" 2>/dev/null && [ -d "$dir" ]; do
			sleep 1
		done
		[ -d "$dir" ] || exit 0
		pid=$(cat "$dir/run/master.pid" 2>/dev/null)
		if [ -n "$pid" ]; then
			kids=$(ps -o pid= --ppid "$pid" 2>/dev/null)
			kill -TERM "$pid" 2>/dev/null
			n=0
			while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do
				sleep 0.1
				n=$((n + 1))
			done
			kill -KILL "$pid" $kids 2>/dev/null
		fi
		rm -rf "$dir"' testbed-watch "$$" "$TESTBED_DIR" \
	    </dev/null >/dev/null 2>&1
}

testbed_stop() {
	_tb_rc=$?
	if [ -n "${TESTBED_DIR-}" ] && [ -d "$TESTBED_DIR" ]; then
		if [ -f "$TESTBED_DIR/watch.pid" ]; then
			kill "$(cat "$TESTBED_DIR/watch.pid")" 2>/dev/null
			rm -f "$TESTBED_DIR/watch.pid"
		fi
		_testbed_halt
		if [ -z "${TESTBED_PERSIST-}" ] && [ -z "${TESTBED_KEEP-}" ]; then
			rm -rf "$TESTBED_DIR"
		fi
	fi
	TESTBED_DIR=""
	return $_tb_rc
}

# testbed_pause / testbed_resume: stop Dovecot and start it again on the
# same ports with the same mail (a server restart, a dropped link).
testbed_pause() {
	_testbed_halt
}

testbed_resume() {
	_testbed_launch
}

# testbed_doveadm ARGS...: doveadm on this instance.
testbed_doveadm() {
	doveadm -c "$TESTBED_CONF" "$@"
}

# testbed_maildir USER: the path of USER's Maildir (INBOX).
testbed_maildir() {
	echo "$TESTBED_DIR/mail/$1/Maildir"
}

# testbed_mailbox_path USER MAILBOX: the Maildir directory of a mailbox.
testbed_mailbox_path() {
	testbed_doveadm mailbox path -u "$1" "$2"
}

# testbed_create_mailbox USER NAME...: creates and subscribes mailboxes (no
# error if they exist).
testbed_create_mailbox() {
	_tb_u=$1; shift
	for _tb_m in "$@"; do
		testbed_doveadm mailbox status -u "$_tb_u" messages "$_tb_m" \
		    >/dev/null 2>&1 && continue
		testbed_doveadm mailbox create -s -u "$_tb_u" "$_tb_m" || return 1
	done
}

# testbed_delete_mailbox USER NAME: deletes a mailbox and its messages.
testbed_delete_mailbox() {
	testbed_doveadm mailbox delete -u "$1" -s "$2"
}

# testbed_deliver USER MAILBOX [FILE]: stores one message (FILE or stdin) in
# MAILBOX, creating it if needed.  The message arrives \Recent and unseen.
testbed_deliver() {
	[ "$2" = INBOX ] || testbed_create_mailbox "$1" "$2" || return 1
	if [ $# -ge 3 ]; then
		testbed_doveadm save -u "$1" -m "$2" <"$3"
	else
		testbed_doveadm save -u "$1" -m "$2"
	fi
}

# testbed_fetch USER 'FIELDS' MAILBOX [SEARCH...]: doveadm fetch, e.g.
#	testbed_fetch alice 'uid flags' INBOX
# prints "uid: 1\nflags: \Seen\n" records separated by form feeds.
testbed_fetch() {
	_tb_u=$1 _tb_f=$2 _tb_m=$3; shift 3
	[ $# -gt 0 ] || set -- all
	testbed_doveadm fetch -u "$_tb_u" "$_tb_f" mailbox "$_tb_m" "$@"
}

# testbed_fetch_field USER FIELD MAILBOX [SEARCH...]: one value a line,
# e.g. testbed_fetch_field alice uid INBOX unseen -> "1\n3\n".
testbed_fetch_field() {
	_tb_u=$1 _tb_f=$2 _tb_m=$3; shift 3
	[ $# -gt 0 ] || set -- all
	testbed_doveadm -f tab fetch -u "$_tb_u" "$_tb_f" mailbox "$_tb_m" "$@" |
	    sed 1d
}

# testbed_status USER 'FIELDS' MAILBOX: the values only, in FIELDS' order,
# separated by one space, e.g. testbed_status alice 'messages unseen' INBOX
# -> "3 1".  Fields: messages recent uidnext uidvalidity unseen highestmodseq
# vsize guid.
testbed_status() {
	testbed_doveadm -f tab mailbox status -u "$1" "$2" "$3" | sed 1d |
	    cut -f2- | tr '\t' ' '
}

# testbed_flags USER MAILBOX UID: the flags of one message.
testbed_flags() {
	testbed_fetch_field "$1" flags "$2" uid "$3"
}

# testbed_flag_add / testbed_flag_remove USER 'FLAGS' MAILBOX SEARCH...:
# changes flags as another client would.
testbed_flag_add() {
	_tb_u=$1 _tb_f=$2 _tb_m=$3; shift 3
	testbed_doveadm flags add -u "$_tb_u" "$_tb_f" mailbox "$_tb_m" "$@"
}

testbed_flag_remove() {
	_tb_u=$1 _tb_f=$2 _tb_m=$3; shift 3
	testbed_doveadm flags remove -u "$_tb_u" "$_tb_f" mailbox "$_tb_m" "$@"
}

# testbed_expunge USER MAILBOX SEARCH...: expunges as another client would.
testbed_expunge() {
	_tb_u=$1 _tb_m=$2; shift 2
	testbed_doveadm expunge -u "$_tb_u" mailbox "$_tb_m" "$@"
}

# testbed_move USER DEST SRC SEARCH...: moves messages as another client would.
testbed_move() {
	_tb_u=$1 _tb_d=$2 _tb_m=$3; shift 3
	testbed_doveadm move -u "$_tb_u" "$_tb_d" mailbox "$_tb_m" "$@"
}

# testbed_kick USER: drops every connection of USER (server side hangup);
# succeeds when USER had none, too.
testbed_kick() {
	_tb_rc=0
	testbed_doveadm kick "$1" >/dev/null 2>&1 || _tb_rc=$?
	[ $_tb_rc -eq 68 ] && return 0	# EX_NOUSER: nobody to kick
	return $_tb_rc
}

# testbed_genmail ARGS...: runs tests/server/genmail.py.
testbed_genmail() {
	"$TESTBED_PYTHON" "$TESTBED_SRC/genmail.py" "$@"
}

# testbed_seed USER N [MAILBOX [SEED]]: fills MAILBOX (default INBOX) with
# N generated messages (genmail.py, default seed 1), written straight into
# the Maildir's cur/, then lets Dovecot index them.
testbed_seed() {
	_tb_u=$1 _tb_n=$2 _tb_m=${3:-INBOX} _tb_s=${4:-1}
	testbed_create_mailbox "$_tb_u" "$_tb_m" || return 1
	_tb_p=$(testbed_mailbox_path "$_tb_u" "$_tb_m") || return 1
	[ -n "$_tb_p" ] || { _testbed_die "no path for $_tb_m"; return 1; }
	mkdir -p "$_tb_p"
	testbed_genmail -n "$_tb_n" --seed "$_tb_s" --maildir "$_tb_p" || return 1
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$TESTBED_MAIL_UID:$TESTBED_MAIL_UID" "$_tb_p"
	fi
	testbed_doveadm mailbox status -u "$_tb_u" messages "$_tb_m" >/dev/null
}
