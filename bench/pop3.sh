#!/bin/sh
# SPDX-License-Identifier: ISC
# POP3 download benchmark (scenario 6): pons fetch against the minimal
# pipelined client, fetchmail and getmail, on the test bed's Dovecot over
# TLS, alternating the clients run by run so machine drift cancels.
# Usage: bench/pop3.sh [-n N[:RUNS]]... [-r RUNS] [-o OUTDIR] [-p "CLIENTS"]
#   (from a built tree).  getmail6 (about 50 messages/s) runs only up to
#   N = $GETMAIL_MAX (default 1000).
# Prints a Markdown table and writes OUTDIR/pop3.md and OUTDIR/pop3.csv.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PONS_BUILDDIR:-$top}
ns="" runs_all=5 out="$build/bench/results" peers="min pons fetchmail getmail"
while getopts n:r:o:p: opt; do
	case $opt in
	n) ns="$ns $OPTARG" ;;
	r) runs_all=$OPTARG ;;
	o) out=$OPTARG ;;
	p) peers=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$ns" ] || ns="1000 10000"
mkdir -p "$out"
export PONS_SRCDIR="$top"
. "$top/tests/server/testbed.sh"
. "$top/bench/common.sh"
testbed_start
work=$(mktemp -d)
chmod 755 "$work"
trap 'testbed_stop; rm -rf "$work"' EXIT

now() { date +%s.%N; }

setup_clients() {	# writes the config of every client for this port
	cat >"$work/pons.conf" <<EOC
[account "bench"]
protocol = pop3
host = localhost
port = $TESTBED_POP3S_PORT
tls = implicit
user = alice
password_command = echo alice-pass-1
ca_file = $TESTBED_CA
spool = $work/spool
EOC
	cat >"$work/fetchmailrc" <<EOC
poll localhost port $TESTBED_POP3S_PORT protocol pop3 uidl
  user alice password alice-pass-1 ssl sslcertck sslcertfile $TESTBED_CA
  keep fetchall
  mda "sh -c 'f=\$(mktemp $work/fm/tmp/m.XXXXXXXX) && cat >\$f && mv \$f $work/fm/new/'"
EOC
	chmod 600 "$work/fetchmailrc"
	cat >"$work/getmailrc" <<EOC
[retriever]
type = SimplePOP3SSLRetriever
server = localhost
port = $TESTBED_POP3S_PORT
username = alice
password = alice-pass-1
ca_certs = $TESTBED_CA
[destination]
type = Maildir
path = $work/gm/
[options]
read_all = true
delete = false
verbose = 0
EOC
}

limit=${POP3_TIMEOUT:-900}	# seconds a peer may take for one run

# A run's output is moved aside, not deleted: on ext4, files created in
# the seconds after many files were deleted pay for scanning past the
# freed inodes, which would bill one client for the previous one's
# cleanup.  Moved-aside output goes between two N, with a pause after.
stash() {
	for _d; do
		[ ! -e "$_d" ] || mv "$_d" "$work/old/${_d##*/}.$(date +%s%N)"
	done
}
settle() { rm -rf "$work/old"; mkdir -p "$work/old"; sleep "${POP3_SETTLE:-12}"; }
fresh() { stash "$work/$1"; mkdir -p "$work/$1/tmp" "$work/$1/new" "$work/$1/cur"; }

run_client() {	# client -> prints seconds
	case $1 in
	min)
		fresh min
		t0=$(now)
		"$build/bench/min-pop3" "$TESTBED_POP3S_PORT" "$TESTBED_CA" \
		    alice alice-pass-1 "$work/min" >/dev/null
		;;
	pons)
		stash "$work/spool" "$work/state"
		t0=$(now)
		XDG_STATE_HOME="$work/state" XDG_RUNTIME_DIR="$work" \
		    "$build/pons" -F "$work/pons.conf" fetch >/dev/null
		;;
	fetchmail)
		fresh fm; rm -f "$work/fetchids"
		t0=$(now)
		HOME=$work timeout "$limit" fetchmail -N -s -f "$work/fetchmailrc" \
		    -i "$work/fetchids" --nosyslog >/dev/null 2>&1 || true
		;;
	getmail)
		fresh gm; rm -rf "$work/gmstate"; mkdir -p "$work/gmstate"
		# getmail refuses to deliver as root, and as root with "user ="
		# it forks a child per message that at times hangs for good in
		# a futex: as root, run the whole of it as nobody instead.
		as=""
		if [ "$(id -u)" -eq 0 ]; then
			chown -R nobody "$work/gm" "$work/gmstate" "$work/getmailrc"
			as="runuser -u nobody --"
		fi
		t0=$(now)
		# the limit still ends a run that hangs; the message count in
		# pop3.csv shows a short run
		timeout "$limit" $as getmail --getmaildir="$work/gmstate" \
		    --rcfile="$work/getmailrc" \
		    >/dev/null 2>&1 || true
		;;
	esac
	t1=$(now)
	echo "$t1 - $t0" | bc
}

count_of() {
	case $1 in
	min) d=min ;; pons) d=spool ;; fetchmail) d=fm ;; getmail) d=gm ;;
	esac
	find "$work/$d/new" "$work/$d/cur" -type f | wc -l
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "n,client,run,seconds,messages,bytes" >"$out/pop3.csv"
for nr in $ns; do
	n=${nr%%:*} runs=$runs_all
	[ "$n" = "$nr" ] || runs=${nr#*:}
	testbed_doveadm expunge -u alice mailbox INBOX all >/dev/null 2>&1 || true
	echo "pop3.sh: seeding $n messages: $(bench_seed alice "$n" INBOX 7)" >&2
	bytes=$(testbed_doveadm -f flow mailbox status -u alice vsize INBOX |
	    sed 's/.*vsize=//')
	setup_clients
	run_client min >/dev/null	# Dovecot builds its index once
	settle		# after the reseed's and the last N's deletions
	for r in $(seq 1 "$runs"); do
		for c in $peers; do
			command -v "$c" >/dev/null 2>&1 || [ "$c" = min ] ||
			    [ "$c" = pons ] || continue
			[ "$c" != getmail ] ||
			    [ "$n" -le "${GETMAIL_MAX:-1000}" ] || continue
			s=$(run_client "$c")
			echo "$n,$c,$r,$s,$(count_of "$c"),$bytes" >>"$out/pop3.csv"
		done
	done
done

{
	echo "| N | client | median s | min s | max s | msgs/s | MB/s | pons/client |"
	echo "|---|---|---|---|---|---|---|---|"
	for nr in $ns; do
		n=${nr%%:*}
		pm=$(awk -F, -v n="$n" '$1==n && $2=="pons" {print $4}' "$out/pop3.csv" | median)
		for c in $peers; do
			col=$(awk -F, -v n="$n" -v c="$c" '$1==n && $2==c {print $4}' "$out/pop3.csv")
			[ -n "$col" ] || continue
			med=$(printf '%.3f' "$(echo "$col" | median)")
			lo=$(printf '%.3f' "$(echo "$col" | sort -n | head -1)")
			hi=$(printf '%.3f' "$(echo "$col" | sort -n | tail -1)")
			b=$(awk -F, -v n="$n" '$1==n {print $6; exit}' "$out/pop3.csv")
			msgs=$(awk -F, -v n="$n" -v c="$c" '$1==n && $2==c {print $5; exit}' "$out/pop3.csv")
			echo "| $n | $c ($msgs msgs) | $med | $lo | $hi |" \
			    "$(echo "scale=0; $n / $med" | bc) |" \
			    "$(echo "scale=1; $b / 1048576 / $med" | bc) |" \
			    "$(echo "scale=2; $pm / $med" | bc) |"
		done
	done
} | tee "$out/pop3.md"
