# SPDX-License-Identifier: ISC
# Shared by the POP3 integration tests (sourced): TAP helpers, a pons
# configuration writer and the checks of pop3-check.py.

: "${PONS_SRCDIR:?}" "${PONS_BIN:?}"
P3_CHECK="python3 -S $PONS_SRCDIR/tests/integration/pop3-check.py"
p3_n=0
p3_failed=0

ok() {		# ok CONDITION-STATUS NAME
	p3_n=$((p3_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $p3_n - $2"
	else
		echo "not ok $p3_n - $2"
		p3_failed=1
	fi
}

# p3_account NAME KEY=VALUE...: an [account] section on stdout
p3_account() {
	echo "[account \"$1\"]"
	shift
	echo "protocol = pop3"
	echo "host = 127.0.0.1"
	for kv in "$@"; do
		echo "${kv%%=*} = ${kv#*=}"
	done
}

# p3_fetch CONFIG [ARGS...]: runs pons fetch; output in $p3_out, status $p3_rc
p3_fetch() {
	_cfg=$1; shift
	p3_out=$("$PONS_BIN" -F "$_cfg" fetch "$@" 2>&1)
	p3_rc=$?
}

# p3_count MAILDIR: messages in new/ and cur/
p3_count() {
	find "$1/new" "$1/cur" -type f 2>/dev/null | wc -l | tr -d ' '
}

p3_skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}
