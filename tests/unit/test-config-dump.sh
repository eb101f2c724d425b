#!/bin/sh
# SPDX-License-Identifier: ISC
# pons --dump-config and -F: origins, errors on stderr, exit status.
set -u
: "${PONS_BIN:?}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/pons-dump.XXXXXX")
trap 'rm -rf "$dir"' EXIT
n=0
fails=0
ok() {	# status description
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}

echo "1..14"
cat >"$dir/config" <<'CONF'
# a comment
[ui]
sort = date-received

[account "home"]
protocol = pop3
host = pop.example.net
password = hunter2
CONF
chmod 600 "$dir/config"

"$PONS_BIN" -F "$dir/config" --dump-config >"$dir/out" 2>"$dir/err"
ok $? "dump-config exits 0"
grep -qxF "sort = date-received  # $dir/config:3" "$dir/out"
ok $? "a set value shows FILE:LINE"
grep -qxF "threads = yes  # default" "$dir/out"
ok $? "an unset value shows default"
grep -qxF "port = 995  # default" "$dir/out"
ok $? "the port defaults from protocol and TLS"
! grep -q hunter2 "$dir/out"
ok $? "the password is not printed"
[ ! -s "$dir/err" ]
ok $? "no warning for a private file"

"$PONS_BIN" -F "$dir/config" -a home --dump-config >"$dir/out" 2>&1
grep -qxF "default_account = home  # command line" "$dir/out"
ok $? "-a shows as a command line origin"

"$PONS_BIN" -F "$dir/config" -a nowhere --dump-config >"$dir/out" 2>&1
[ $? -eq 1 ] && grep -q 'no account "nowhere"' "$dir/out"
ok $? "-a with an unknown account fails"

printf '[ui]\nsortt = date\nthreads = maybe\n[account "x"]\nprotocol = imap\n' \
	>"$dir/bad"
"$PONS_BIN" -F "$dir/bad" --dump-config >"$dir/out" 2>"$dir/err"
[ $? -eq 1 ]
ok $? "a broken file stops pons with status 1"
[ ! -s "$dir/out" ]
ok $? "nothing is dumped from a broken file"
grep -qxF "$dir/bad:2: unknown option \"sortt\" in [ui]; did you mean \"sort\"?" "$dir/err" &&
grep -qxF "$dir/bad:3: threads: \"maybe\" is not yes or no" "$dir/err" &&
grep -qxF "$dir/bad:4: account \"x\": missing host" "$dir/err"
ok $? "every error is printed as FILE:LINE: message"

"$PONS_BIN" -F "$dir/missing" --dump-config >/dev/null 2>"$dir/err"
[ $? -eq 1 ] && grep -q "missing: no such file" "$dir/err"
ok $? "-F with a missing file fails"

# Key bindings are checked by the UI's validator before pons starts.
printf '[keys.index]\nQ = quit\n' >"$dir/keys"
"$PONS_BIN" -F "$dir/keys" --dump-config >"$dir/out" 2>&1
grep -qxF "Q = quit  # $dir/keys:2" "$dir/out"
ok $? "a valid key binding is dumped with its origin"
printf '[keys.index]\nQ = no-such-action\n' >"$dir/keys"
"$PONS_BIN" -F "$dir/keys" --dump-config >"$dir/out" 2>&1
[ $? -eq 1 ] && grep -q "^$dir/keys:2: key \"Q\": " "$dir/out"
ok $? "an unknown action stops pons, with its line"

[ "$fails" -eq 0 ] || echo "# $fails failed"
exit 0
