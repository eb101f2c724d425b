#!/bin/sh
# SPDX-License-Identifier: ISC
# Command 1 of the README: try pons against a private mail server.
#
#	scripts/demo.sh		install what is missing, build pons, start a
#				private Dovecot (tests/server/testbed.sh) with a
#				"demo" account holding a few hundred generated
#				messages, write a pons config for it, run pons
#	scripts/demo.sh stop	stop that Dovecot and remove its directory
#	scripts/demo.sh status	say whether it runs, where, on which ports
#
# Everything lives in one directory: $PONS_DEMO_DIR, by default
# $XDG_RUNTIME_DIR/pons-demo (as root, or without XDG_RUNTIME_DIR,
# /tmp/pons-demo-UID).  Dovecot listens on 127.0.0.1 only, and keeps running
# between runs of this script until "scripts/demo.sh stop".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-start}

if [ -n "${PONS_DEMO_DIR-}" ]; then
	demo=$PONS_DEMO_DIR
elif [ "$(id -u)" -ne 0 ] && [ -n "${XDG_RUNTIME_DIR-}" ] &&
    [ -d "$XDG_RUNTIME_DIR" ]; then
	demo=$XDG_RUNTIME_DIR/pons-demo
else
	# Root's mail runs as an unprivileged id that must reach the directory.
	demo=/tmp/pons-demo-$(id -u)
fi
PATH=$PATH:/usr/sbin:/sbin
TESTBED_PERSIST=$demo
TESTBED_NO_TRAP=1
TESTBED_SRC=$top/tests/server
export TESTBED_PERSIST TESTBED_NO_TRAP TESTBED_SRC
. "$top/tests/server/testbed.sh"

running() {
	[ -f "$demo/run/master.pid" ] &&
	    kill -0 "$(cat "$demo/run/master.pid")" 2>/dev/null
}

case $cmd in
stop)
	if [ -d "$demo" ]; then
		TESTBED_DIR=$demo
		testbed_stop
		rm -rf "$demo"
		echo "demo Dovecot stopped, $demo removed"
	else
		echo "no demo in $demo"
	fi
	exit 0
	;;
status)
	if running; then
		echo "demo Dovecot runs (pid $(cat "$demo/run/master.pid")) in $demo"
		echo "ports (imaps imap pop3s pop3): $(cat "$demo/ports")"
		echo "pons config: $demo/config"
	else
		echo "demo Dovecot is not running"
		exit 1
	fi
	exit 0
	;;
start)
	;;
*)
	echo "usage: $0 [start|stop|status]" >&2
	exit 2
	;;
esac

# 1. What pons needs, and pons itself.
"$top/scripts/deps.sh" || exit 1
cd "$top" || exit 1
if [ ! -x configure ]; then
	echo "demo: autoreconf" >&2
	autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; exit 1; }
fi
if [ ! -f Makefile ]; then
	echo "demo: configure" >&2
	./configure -q || exit 1
fi
echo "demo: building pons" >&2
make -s -j"$(nproc 2>/dev/null || echo 2)" >/dev/null || make || exit 1
pons=$top/pons

# 2. The private Dovecot (started again, with the same mail, if stopped).
if running; then
	TESTBED_DIR=$demo
	# shellcheck disable=SC2046 # four numbers, split on purpose
	set -- $(cat "$demo/ports")
	TESTBED_IMAPS_PORT=$1 TESTBED_IMAP_PORT=$2
	TESTBED_POP3S_PORT=$3 TESTBED_POP3_PORT=$4
	TESTBED_CONF=$demo/dovecot.conf
	TESTBED_CA=$demo/certs/ca.pem
	export TESTBED_DIR TESTBED_CONF
else
	echo "demo: starting Dovecot in $demo" >&2
	testbed_start || exit 1
fi

# 3. A few hundred messages: threads, attachments, non-ASCII subjects.
if [ ! -f "$demo/seeded" ]; then
	echo "demo: generating sample mail" >&2
	testbed_seed demo 300 INBOX 2026 &&
	    testbed_seed demo 120 Lists/pons-dev 7 &&
	    testbed_seed demo 40 Archive 11 &&
	    testbed_seed demo 12 Sent 5 || exit 1
	# Lists/pons-dev and Archive partly read, Sent all read, so the
	# folder screen (c) shows different unread counts.
	testbed_flag_add demo '\Seen' Lists/pons-dev 1:100 >/dev/null &&
	    testbed_flag_add demo '\Seen' Archive all >/dev/null &&
	    testbed_flag_add demo '\Seen' Sent all >/dev/null || exit 1
	# And two fresh, unread ones on top.
	for i in 1 2; do
		testbed_deliver demo INBOX <<EOF
From: Pons Demo <demo-sender@example.org>
To: demo@example.org
Subject: Welcome to pons, message $i
Date: $(LC_ALL=C date -R)
Message-ID: <demo-welcome-$i.$$@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

This message was delivered by scripts/demo.sh just now.
The IMAP account shows the server live; the POP3 account copies
the INBOX down into a local Maildir spool.
EOF
	done
	: >"$demo/seeded"
fi

# 4. A pons configuration for the two accounts.
conf=$demo/config
umask 077
printf '%s\n' demo-pass >"$demo/password"
cat >"$conf" <<EOF
# pons demo configuration, written by scripts/demo.sh
[general]
default_account = demo-imap

[account "demo-imap"]
protocol = imap
host = localhost
port = $TESTBED_IMAPS_PORT
tls = implicit
user = demo
password_command = cat $demo/password
ca_file = $TESTBED_CA
status_interval = 30s

[account "demo-pop3"]
protocol = pop3
host = localhost
port = $TESTBED_POP3_PORT
tls = starttls
user = demo
password_command = cat $demo/password
ca_file = $TESTBED_CA
spool = $demo/spool
EOF

"$pons" -F "$conf" --dump-config >/dev/null || {
	echo "demo: pons rejects $conf" >&2
	exit 1
}

# The POP3 account's spool, downloaded once, so that the folder screen (c)
# shows it beside the IMAP account's folders from the first start.
# Both accounts read the same server INBOX, and a POP3 download marks what
# it retrieves as read there: the messages unread before stay unread.
if [ ! -d "$demo/spool/cur" ]; then
	echo "demo: downloading the POP3 spool" >&2
	unseen=$(testbed_fetch_field demo uid INBOX unseen | tr '\n' ',' |
	    sed 's/,$//')
	"$pons" -F "$conf" fetch -a demo-pop3 >/dev/null ||
	    echo "demo: the POP3 download failed; pons will try again" >&2
	[ -z "$unseen" ] ||
	    testbed_flag_remove demo '\Seen' INBOX uid "$unseen" >/dev/null
fi

# 5. pons.
cat <<EOF
Dovecot runs in $demo (127.0.0.1: IMAPS $TESTBED_IMAPS_PORT, IMAP+STARTTLS $TESTBED_IMAP_PORT,
POP3S $TESTBED_POP3S_PORT, POP3+STLS $TESTBED_POP3_PORT), account demo / demo-pass.
pons config: $conf
In pons: c lists both accounts and their folders (Enter opens one), ? shows
the keys of each screen, q leaves.
Stop the server with: scripts/demo.sh stop
EOF
"$pons" -F "$conf"
rc=$?
echo "Dovecot is still running in $demo: run \"$pons -F $conf\" again"
echo "(or -a demo-pop3 for the POP3 account); stop it with \"scripts/demo.sh stop\""
exit $rc
