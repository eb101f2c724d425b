# SPDX-License-Identifier: ISC
# Shared by bench/imap.sh, bench/pop3.sh and bench/big.sh (sourced after
# tests/server/testbed.sh, with $top and $build set).
#
# bench_seed USER N MAILBOX SEED: fills MAILBOX with the N messages of
# tests/server/genmail.py SEED.  The generated Maildir is kept in
# $BENCH_CACHE (default BUILDDIR/bench/cache, about 10 MB per 1,000
# messages) and hard-linked into the test bed's Maildir, so each N is
# generated once per tree, not once per invocation.  Dovecot never changes
# a Maildir file in place (flags rename it, expunge unlinks it), so the
# links leave the cached copy intact.  Prints "genmail=S link=S" (seconds;
# genmail=0 when it came from the cache) on stdout.

: "${BENCH_CACHE:=$build/bench/cache}"

_bench_now() { date +%s.%N; }

bench_seed() {
	_bs_u=$1 _bs_n=$2 _bs_m=$3 _bs_s=$4
	_bs_c=$BENCH_CACHE/maildir-$_bs_n-seed$_bs_s
	_bs_t0=$(_bench_now)
	if [ ! -f "$_bs_c/done" ]; then
		rm -rf "$_bs_c" "$_bs_c.tmp"
		mkdir -p "$_bs_c.tmp"
		testbed_genmail -n "$_bs_n" --seed "$_bs_s" \
		    --maildir "$_bs_c.tmp" || return 1
		: >"$_bs_c.tmp/done"
		mv "$_bs_c.tmp" "$_bs_c"
	fi
	_bs_t1=$(_bench_now)
	testbed_create_mailbox "$_bs_u" "$_bs_m" || return 1
	_bs_p=$(testbed_mailbox_path "$_bs_u" "$_bs_m") || return 1
	[ -n "$_bs_p" ] || return 1
	mkdir -p "$_bs_p/cur" "$_bs_p/new" "$_bs_p/tmp"
	# Hard links when the cache is on the same file system, else copies.
	cp -al "$_bs_c/cur/." "$_bs_p/cur/" 2>/dev/null ||
	    cp -a "$_bs_c/cur/." "$_bs_p/cur/" || return 1
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$TESTBED_MAIL_UID:$TESTBED_MAIL_UID" "$_bs_p"
	fi
	testbed_doveadm mailbox status -u "$_bs_u" messages "$_bs_m" \
	    >/dev/null || return 1
	_bs_t2=$(_bench_now)
	echo "genmail=$(echo "$_bs_t1 - $_bs_t0" | bc) link=$(echo "$_bs_t2 - $_bs_t1" | bc)"
}

# bench_pons_conf FILE: pons's settings for alice's INBOX on the test
# bed's IMAPS port, newest first, unthreaded (as bench/README says).
bench_pons_conf() {
	cat >"$1" <<EOC
[ui]
sort = date-received
sort_reverse = yes
threads = no

[account "bench"]
protocol = imap
host = localhost
port = $TESTBED_IMAPS_PORT
tls = implicit
user = alice
password_command = echo alice-pass-1
ca_file = $TESTBED_CA
EOC
}

# bench_pons_cmd WORK CACHE: argv (one line) of pons with HOME=WORK, its
# cache and state under CACHE and the settings of WORK/pons.conf.
bench_pons_cmd() {
	echo env HOME="$1" TERM=screen XDG_CACHE_HOME="$2" \
	    XDG_STATE_HOME="$2/state" XDG_DATA_HOME="$2/data" \
	    XDG_CONFIG_HOME="$2/config" XDG_RUNTIME_DIR="$1" \
	    "$build/pons" -F "$1/pons.conf"
}

# bench_marker_msg SUBJECT: a message dated now, to be the newest.
bench_marker_msg() {
	printf 'From: Bench <bench@example.org>\r\nTo: alice@example.org\r\n'
	printf 'Subject: %s\r\nDate: %s\r\nMessage-ID: <%s@bench.pons>\r\n' \
	    "$1" "$(date -R)" "$1"
	printf '\r\nA benchmark marker.\r\n'
}
