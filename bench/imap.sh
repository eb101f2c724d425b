#!/bin/sh
# SPDX-License-Identifier: ISC
# IMAP benchmark (scenarios 1-5 of issue 8): pons against Mutt, NeoMutt and
# the minimal client bench/min-imap, on the test bed's Dovecot over TLS,
# the clients alternated run by run so machine drift cancels.
# Usage: bench/imap.sh [-n N[:RUNS]]... [-r RUNS] [-o OUTDIR] [-p "CLIENTS"]
#   (from a built tree with `make bench-clients` done; default N: 1000 10000;
#   -n 100000:3 runs that N 3 times whatever -r says)
# Writes OUTDIR/imap.csv (one row a measurement: n,client,run,scenario,
# metric,value) and leaves the summary to bench/report.py.
#
# Every TUI client runs in a detached 120x40 tmux (bench/tuiclock.py): time
# from launch until the subject of the newest message (a marker delivered
# last) is on screen (first screen), and until the status line counts every
# message (all headers), polled every 5 ms; peak RSS is VmHWM before the kill.
# min-tui is the floor run the same way: min-imap in a pane, then its count.
# Scenarios: cold (fresh cache), warm (cache of the previous open), new (a
# message stored by doveadm -> its subject on screen; a raw IDLE connection
# beside it times Dovecot's EXISTS), flag (\Flagged set by doveadm on that
# message -> its line changes; the raw IDLE times Dovecot's FETCH), changed
# (warm open after 1% of the flags changed and 1% expunged: the last pass,
# since it shrinks the mailbox by 1% a round), nav (scenario 7: a warm open,
# then 1,000 keys, PageDown and search-next alternated, and the help key;
# time until the help screen shows, and the help key alone).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PONS_BUILDDIR:-$top}
ns="" runs_all=5 out="$build/bench/results"
clients="min min-tui pons-sync pons mutt neomutt"
while getopts n:r:o:p: opt; do
	case $opt in
	n) ns="$ns $OPTARG" ;;
	r) runs_all=$OPTARG ;;
	o) out=$OPTARG ;;
	p) clients=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$ns" ] || ns="1000 10000"
[ -x "$build/bench/min-imap" ] || { echo "run make bench-clients" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
export PONS_SRCDIR="$top"
. "$top/tests/server/testbed.sh"
. "$top/bench/common.sh"
testbed_start
export TESTBED_CONF
work=$(mktemp -d)
chmod 755 "$work"
sock="ponsbench$$"
tmux -L "$sock" -f /dev/null new-session -d -s keep -x 120 -y 40 "sleep 86400" \; set -g remain-on-exit on
trap 'tmux -L "$sock" kill-server 2>/dev/null; testbed_stop; rm -rf "$work"' EXIT
csv="$out/imap.csv"
echo "n,client,run,scenario,metric,value" >"$csv"
log="$out/imap.log"
: >"$log"

now() { date +%s.%N; }

# The clients of round r (1...), in reverse order in even rounds, so no
# client always follows the same one: in the seventh session's run, min
# (always right after NeoMutt's navigation session) took 20-30% longer
# than min-tui (always right after min) at 10,000 and 100,000.
round_order() {	# r
	echo $clients | awk -v r="$1" '{ for (i = 1; i <= NF; i++)
		printf "%s%s", (i > 1 ? " " : ""), $(r % 2 ? i : NF + 1 - i)
		print "" }'
}

setup_clients() {	# every client's settings for this port
	for c in mutt neomutt; do
		sed -e "s|@HOST@|127.0.0.1|" -e "s|@PORT@|$TESTBED_IMAPS_PORT|" \
		    -e "s|@CA@|$TESTBED_CA|" -e "s|@WORK@|$work|" \
		    -e "s|@CLIENT@|$c|" -e "s|@HCACHE@|$work/cache-$c|" \
		    "$top/bench/muttrc.$c" >"$work/muttrc.$c"
	done
	bench_pons_conf "$work/pons.conf"
}

client_cmd() {	# client -> argv of the client, with its environment
	case $1 in
	mutt|neomutt)
		echo env HOME="$work" TERM=screen "$1" -n -F "$work/muttrc.$1" ;;
	pons)
		bench_pons_cmd "$work" "$work/cache-pons" ;;
	esac
}

record() {	# n client run scenario "key=value ..." (metric names mapped)
	for kv in $5; do
		k=${kv%%=*} v=${kv#*=}
		case $k in
		open) k=first_screen_s ;;
		all) k=all_headers_s ;;
		new|flag) k=latency_s ;;
		new_idle|flag_idle) k=idle_s ;;
		nav) k=keys_s ;;
		nav_help) k=help_s ;;
		esac
		case $kv in
		new*) s=new ;; flag*) s=flag ;; nav*) s=nav ;; *) s=$4 ;;
		esac
		echo "$1,$2,$3,$s,$k,$v" >>"$csv"
	done
}

timed() {	# command... -> "seconds peak-rss-kb" of the command
	# GNU time reads the peak RSS (a small parent: the fork's copy of it
	# stays below the clients'), python the wall time.
	"$TESTBED_PYTHON" -c 'import subprocess, sys, time
t = time.monotonic()
subprocess.run(["/usr/bin/time", "-f", "%M", "-o", sys.argv[1]] +
    sys.argv[2:], stdout=subprocess.DEVNULL, check=True)
print("%.4f %s" % (time.monotonic() - t, open(sys.argv[1]).read().split()[-1]))' \
	    "$work/rss" "$@"
}

run_min() {	# n run scenario
	set -- "$@" $(timed "$build/bench/min-imap" "$TESTBED_IMAPS_PORT" \
	    "$TESTBED_CA" alice alice-pass-1)
	echo "$1,min,$2,$3,all_headers_s,$4" >>"$csv"
	echo "$1,min,$2,$3,rss_kb,$5" >>"$csv"
}

# The floor timed the way the TUI clients are: min-imap in a pane, then
# "Msgs:COUNT" printed; launch -> that line on screen.  Against it the
# TUI's all headers pay the same pane start and polling.
run_min_tui() {	# n run
	_all=$(testbed_status alice messages INBOX)
	res=$("$TESTBED_PYTHON" "$top/bench/tuiclock.py" --sock "$sock" \
	    --name min-tui --marker "Msgs:$_all" --timeout "$timeout" -- \
	    sh -c "'$build/bench/min-imap' $TESTBED_IMAPS_PORT '$TESTBED_CA' \
	    alice alice-pass-1 >/dev/null && echo Msgs:$_all && exec sleep 86400") ||
	    res="open=fail"
	echo "n=$1 min-tui run $2: $res" >>"$log"
	case $res in
	open=[0-9]*) v=${res#open=} v=${v%% *} ;;
	*) v=n/a ;;
	esac
	record "$1" min-tui "$2" cold "all=$v"
}

run_sync() {	# n run scenario: pons's batch sync of INBOX into its cache
	[ "$3" != cold ] || rm -rf "$work/cache-pons"
	# shellcheck disable=SC2046
	if set -- "$@" $(timed $(client_cmd pons) imap-sync INBOX); then
		echo "$1,pons-sync,$2,$3,all_headers_s,$4" >>"$csv"
		echo "$1,pons-sync,$2,$3,rss_kb,$5" >>"$csv"
	else
		echo "$1,pons-sync,$2,$3,all_headers_s,n/a" >>"$csv"
	fi
}

run_tui() {	# n client run scenario [extra tuiclock options...]
	_n=$1 _c=$2 _r=$3 _s=$4; shift 4
	if [ "$_c" = pons ] && [ -n "${pons_na-}" ]; then
		echo "$_n,pons,$_r,$_s,first_screen_s,n/a" >>"$csv"
		case $_s in
		warm)	echo "$_n,pons,$_r,new,latency_s,n/a" >>"$csv"
			echo "$_n,pons,$_r,flag,latency_s,n/a" >>"$csv" ;;
		nav)	echo "$_n,pons,$_r,nav,keys_s,n/a" >>"$csv" ;;
		esac
		return
	fi
	# All headers: the status line counts every message of INBOX (all
	# three show "Msgs:COUNT"); pons shows its first screen before that,
	# and its session is stopped only then, so its next open is warm.
	_all=$(testbed_status alice messages INBOX)
	# shellcheck disable=SC2046
	res=$("$TESTBED_PYTHON" "$top/bench/tuiclock.py" --sock "$sock" \
	    --name "$_c" --marker "$marker" --timeout "$timeout" \
	    --all-regex "Msgs:$_all\\b" \
	    --screen-log "$work/screen-$_c" "$@" -- $(client_cmd "$_c")) ||
	    res="open=fail"
	echo "n=$_n $_c run $_r $_s: $res" >>"$log"
	case $res in
	open=exit*|open=fail*|*all=exit*|*all=fail*)
		{ echo "--- last screen of $_c:"; cat "$work/screen-$_c"; } >>"$log" ;;
	esac
	# The nav session's open is one more warm open: not a figure.
	[ "$_s" != nav ] || res=$(echo "$res" | sed 's/open=[^ ]* all=[^ ]* //')
	record "$_n" "$_c" "$_r" "$_s" "$res"
}

# Scenario 7: the keys, and the search whose next match "n" finds.  Both
# peers and pons read "~s WORD" as subject contains WORD; "budget" is in
# about 3% of genmail's subjects.
nav_keys=1000
nav_search="/~s budget"

for nr in $ns; do
	n=${nr%%:*} runs=$runs_all
	[ "$n" = "$nr" ] || runs=${nr#*:}
	testbed_doveadm expunge -u alice mailbox INBOX all >/dev/null 2>&1 || true
	echo "imap.sh: seeding $n messages" >&2
	seed=$(bench_seed alice "$n" INBOX 7)
	marker="BENCH-MARKER-$n"
	bench_marker_msg "$marker" | testbed_deliver alice INBOX
	timeout=$(( 60 + n / 100 ))
	setup_clients
	t0=$(now)
	run_min "$n" 0 warmup >/dev/null	# Dovecot builds its index once
	sed -i '$d' "$csv"; sed -i '$d' "$csv"
	echo "n=$n seeding: $seed dovecot_index=$(echo "$(now) - $t0" | bc)" |
	    tee -a "$log" >&2
	# pons is n/a when it cannot show an IMAP account yet.
	pons_na=""
	rm -rf "$work/cache-pons"
	res=$("$TESTBED_PYTHON" "$top/bench/tuiclock.py" --sock "$sock" \
	    --name probe --marker "$marker" --timeout "$timeout" \
	    --screen-log "$work/screen-probe" -- $(client_cmd pons)) || res=fail
	case $res in
	open=[0-9]*) ;;
	*)	pons_na=1
		{ echo "pons probe: $res"; cat "$work/screen-probe"; } >>"$log"
		echo "imap.sh: pons shows no IMAP index yet: n/a" >&2 ;;
	esac
	for r in $(seq 1 "$runs"); do
		echo "imap.sh: N=$n run $r/$runs" >&2
		for c in $(round_order "$r"); do
			case $c in
			min)	run_min "$n" "$r" cold; continue ;;
			min-tui) run_min_tui "$n" "$r"; continue ;;
			pons-sync)
				run_sync "$n" "$r" cold
				run_sync "$n" "$r" warm; continue ;;
			mutt|neomutt) command -v "$c" >/dev/null || continue ;;
			esac
			rm -rf "$work/cache-$c" "$work/certs-$c"
			mkdir -p "$work/cache-$c/bodies"
			run_tui "$n" "$c" "$r" cold
			sub="BENCH-NEW-$n-$r-$c"
			bench_marker_msg "$sub" >"$work/new.eml"
			run_tui "$n" "$c" "$r" warm --idle "$TESTBED_IMAPS_PORT" \
			    --ca "$TESTBED_CA" --user alice --pass alice-pass-1 \
			    --new-subject "$sub" \
			    --new-cmd "doveadm -c '$TESTBED_CONF' save -u alice -m INBOX <'$work/new.eml'" \
			    --flag-cmd "doveadm -c '$TESTBED_CONF' flags add -u alice '\\Flagged' mailbox INBOX header Message-ID '<$sub@bench.pons>'"
			testbed_expunge alice INBOX header Message-ID "<$sub@bench.pons>"
			run_tui "$n" "$c" "$r" nav --nav-keys "NPage n" \
			    --nav-count "$nav_keys" --nav-setup "$nav_search" \
			    --nav-done "help for index"
			echo "$n,$c,$r,nav,keys,$nav_keys" >>"$csv"
		done
	done
	# Scenario 3, last: each round changes 1% of the flags and expunges
	# 1% (never the marker), then every client opens with its warm cache.
	pct=$(( n / 100 )); [ "$pct" -ge 1 ] || pct=1
	for r in $(seq 1 "$runs"); do
		uids=$(testbed_fetch_field alice uid INBOX all | sed '$d' |
		    shuf --random-source=/dev/zero -n $(( 2 * pct )))
		fl=$(echo "$uids" | head -n "$pct" | paste -sd, -)
		ex=$(echo "$uids" | tail -n "$pct" | paste -sd, -)
		testbed_flag_add alice '\Seen \Answered' INBOX uid "$fl"
		testbed_expunge alice INBOX uid "$ex"
		for c in $(round_order "$r"); do
			case $c in
			min)	run_min "$n" "$r" changed; continue ;;
			min-tui) continue ;;
			pons-sync) run_sync "$n" "$r" changed; continue ;;
			mutt|neomutt) command -v "$c" >/dev/null || continue ;;
			esac
			run_tui "$n" "$c" "$r" changed
		done
	done
done
echo "imap.sh: wrote $csv" >&2
