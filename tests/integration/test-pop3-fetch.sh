#!/bin/sh
# SPDX-License-Identifier: ISC
# pons fetch against the real Dovecot POP3 of the test bed, over TLS with
# the test CA: download, byte-for-byte comparison, the check of a run that
# did not wait for the disk (an empty file is fetched again), second run,
# new mail, local deletion, each deletion policy, STLS, no clear text, the
# lock.
set -u
. "$PONS_SRCDIR/tests/integration/pop3-common.sh"
tb=${TESTBED_SH:-$PONS_SRCDIR/tests/server/testbed.sh}
[ -f "$tb" ] || p3_skip_all "no test bed ($tb)"
. "$tb"
testbed_start >/dev/null || p3_skip_all "the test bed did not start"
w=$(mktemp -d /tmp/pons-pop3-fetch.XXXXXX)
trap 'rm -rf "$w"; testbed_stop' EXIT
echo "1..41"

p3_account home port="$TESTBED_POP3S_PORT" user=alice \
    "password_command=echo alice-pass-1" ca_file="$TESTBED_CA" \
    spool="$w/home" >"$w/home.conf"
testbed_seed alice 30 INBOX 7 >/dev/null
srv=$(testbed_maildir alice)

p3_fetch "$w/home.conf"
ok $p3_rc "first fetch succeeds ($p3_out)"
echo "$p3_out" | grep -q '^home: 30 new'; ok $? "summary line says 30 new"
[ "$(p3_count "$w/home")" = 30 ]; ok $? "the spool holds 30 messages"
$P3_CHECK same "$srv" "$w/home" >&2; ok $? "byte for byte the server's messages"
[ "$(testbed_status alice messages INBOX)" = 30 ]
ok $? "keep_on_server (default): the server still has all 30"
$P3_CHECK ids "$w/home" >/dev/null; ok $? "no Message-ID twice in the spool"

# keep_on_server: the run did not wait for the disk; its records sit below
# a P ("not yet known durable") that the next open checks
jr=$w/home/pons-spool.journal
# the P names the boot of its run (Linux), for the check after a restart
pline=P
[ ! -r /proc/sys/kernel/random/boot_id ] ||
    pline="P $(cat /proc/sys/kernel/random/boot_id)"
grep -qx "$pline" "$jr" && ! grep -qx S "$jr"
ok $? "keep_on_server: the journal has a P (this boot's) and no S"
# what a crash can leave on ext4: a recorded file that is empty
lost=$(find "$w/home/new" -type f | head -1)
: >"$lost"
"$PONS_BIN" -d "$w/settle.log" -F "$w/home.conf" fetch >"$w/settle.out" 2>&1
ok $? "the next fetch succeeds ($(cat "$w/settle.out"))"
grep -q 'checked 30 message(s) not yet known durable, dropped 1' \
    "$w/settle.log"
ok $? "its open checked the 30 records and dropped the empty file's"
grep -q '^home: 1 new' "$w/settle.out" &&
    [ "$(grep -c 'C: RETR ' "$w/settle.log")" = 1 ]
ok $? "that message alone is downloaded again (one RETR)"
[ ! -e "$lost" ] && [ "$(p3_count "$w/home")" = 30 ] &&
    $P3_CHECK same "$srv" "$w/home" >&2
ok $? "the spool holds the server's 30 messages again, byte for byte"
# the 29 checked records are settled; only the new one waits below a P
[ "$(grep -cx "$pline" "$jr")" = 1 ] &&
    [ "$(sed -n "/^$pline\$/,\$p" "$jr" | grep -c '^M ')" = 1 ]
ok $? "the journal: the 29 settled, the one fetched again below a P"

p3_fetch "$w/home.conf"
echo "$p3_out" | grep -q '^home: 0 new'; ok $? "a second run downloads nothing"
[ "$(p3_count "$w/home")" = 30 ]; ok $? "still 30 in the spool"
[ "$(tail -n 1 "$jr")" = S ]; ok $? "the run after it ends the journal with S"

printf 'From: x@example.net\nSubject: late\nMessage-ID: <late@x>\n\nnew mail\n' \
    >"$w/late.eml"
testbed_deliver alice INBOX "$w/late.eml"
p3_fetch "$w/home.conf"
echo "$p3_out" | grep -q '^home: 1 new'; ok $? "a new delivery is picked up"
[ "$(p3_count "$w/home")" = 31 ]; ok $? "31 in the spool"

rm -f "$(find "$w/home/new" -type f | head -1)"
p3_fetch "$w/home.conf"
echo "$p3_out" | grep -q '^home: 0 new'; ok $? "a local delete is not downloaded again"
[ "$(testbed_status alice messages INBOX)" = 31 ]
ok $? "a local delete leaves the server untouched"

# size_limit: messages over it stay on the server (TOP shows their header)
p3_account big port="$TESTBED_POP3S_PORT" user=alice size_limit=3K \
    "password_command=echo alice-pass-1" ca_file="$TESTBED_CA" \
    spool="$w/big" >"$w/big.conf"
nbig=$(python3 -S -c 'import os,sys
d=sys.argv[1]; n=0
for s in ("new","cur"):
    for f in os.listdir(os.path.join(d,s)):
        b=open(os.path.join(d,s,f),"rb").read().replace(b"\r\n",b"\n")
        n += len(b.replace(b"\n",b"\r\n")) > 3072
print(n)' "$srv")
"$PONS_BIN" -d "$w/big.log" -F "$w/big.conf" fetch >"$w/big.out" 2>&1
ok $? "size_limit = 3K: the fetch succeeds ($(cat "$w/big.out"))"
grep -q "$nbig over size_limit left on the server" "$w/big.out" &&
    [ "$(p3_count "$w/big")" = $((31 - nbig)) ]
ok $? "exactly the $nbig messages over 3 KiB are left out"
[ "$(grep -c 'C: TOP [0-9]* 0' "$w/big.log")" = "$nbig" ] &&
    [ "$(grep -c 'over size_limit, left on the server' "$w/big.log")" = "$nbig" ]
ok $? "their headers are looked at with TOP"

# STLS on the clear port, then "no clear text" on the same port
p3_account stls port="$TESTBED_POP3_PORT" tls=starttls user=alice \
    "password_command=echo alice-pass-1" ca_file="$TESTBED_CA" \
    spool="$w/stls" >"$w/stls.conf"
p3_fetch "$w/stls.conf"
ok $p3_rc "STLS: fetch succeeds ($p3_out)"
[ "$(p3_count "$w/stls")" = 31 ]; ok $? "STLS: 31 messages"
p3_account clear port="$TESTBED_POP3_PORT" tls=none user=alice \
    "password_command=echo alice-pass-1" spool="$w/clear" >"$w/clear.conf"
p3_fetch "$w/clear.conf"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'refusing to log in'
ok $? "tls = none without allow_plaintext is refused ($p3_out)"
[ "$(p3_count "$w/clear")" = 0 ]; ok $? "nothing stored without TLS"

# wrong password, and the spool lock
p3_account bad port="$TESTBED_POP3S_PORT" user=alice \
    "password_command=echo wrong" ca_file="$TESTBED_CA" \
    spool="$w/bad" >"$w/bad.conf"
p3_fetch "$w/bad.conf"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'refused the login'
ok $? "a wrong password fails the account ($p3_out)"
python3 -c 'import fcntl,sys,time
f=open(sys.argv[1]+"/pons-spool.lock","a"); fcntl.flock(f,fcntl.LOCK_EX)
open(sys.argv[1]+"/locked","w").close(); time.sleep(5)' "$w/home" &
lockpid=$!
while [ ! -e "$w/home/locked" ]; do sleep 0.05; done
p3_fetch "$w/home.conf"
[ $p3_rc -ne 0 ] && echo "$p3_out" | grep -q 'in use'
ok $? "a second fetch into a locked spool stops ($p3_out)"
kill $lockpid 2>/dev/null; wait $lockpid 2>/dev/null

# keep_on_server = no: everything goes after download
testbed_seed bob 12 INBOX 8 >/dev/null
p3_account del port="$TESTBED_POP3S_PORT" user=bob keep_on_server=no \
    "password_command=echo bob-pass-2" ca_file="$TESTBED_CA" \
    spool="$w/del" >"$w/del.conf"
p3_account home2 port="$TESTBED_POP3S_PORT" user=alice \
    "password_command=echo alice-pass-1" ca_file="$TESTBED_CA" \
    spool="$w/home2" >>"$w/del.conf"
p3_fetch "$w/del.conf" -a del
echo "$p3_out" | grep -q 'del: 12 new.*12 deleted from the server'
ok $? "keep_on_server = no deletes after download ($p3_out)"
[ "$(testbed_status bob messages INBOX)" = 0 ]; ok $? "bob's server box is empty"
[ "$(p3_count "$w/del")" = 12 ]; ok $? "the 12 are in the spool"
! grep -q '^[PS]\( \|$\)' "$w/del/pons-spool.journal" &&
    [ "$(grep -c '^M ' "$w/del/pons-spool.journal")" = 12 ]
ok $? "keep_on_server = no: every batch synced, the journal has no P"
[ "$(echo "$p3_out" | wc -l)" = 1 ] && [ ! -d "$w/home2" ]
ok $? "-a NAME fetches that account only"
out=$("$PONS_BIN" -F "$w/del.conf" -a home2 fetch 2>&1)
[ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q '^home2: 31 new'
ok $? "pons -a NAME fetch does the same ($out)"

# batches of 3: each is committed in the spool's worker while the next
# arrives, and its DELEs go only once it has landed
testbed_seed bob 12 INBOX 10 >/dev/null
sed "s|$w/del|$w/del3|" "$w/del.conf" >"$w/del3.conf"
PONS_TEST_BATCH=3 p3_fetch "$w/del3.conf" -a del
echo "$p3_out" | grep -q 'del: 12 new.*12 deleted from the server'
ok $? "batches of 3 in flight: 12 new, 12 deleted ($p3_out)"
[ "$(testbed_status bob messages INBOX)" = 0 ] &&
    [ "$(p3_count "$w/del3")" = 12 ] && $P3_CHECK ids "$w/del3" >/dev/null
ok $? "the server box is empty and the 12 are in the spool once"

# delete_after_days = 3, with the clock moved by PONS_TEST_NOW
testbed_seed demo 4 INBOX 9 >/dev/null
p3_account days port="$TESTBED_POP3S_PORT" user=demo delete_after_days=3 \
    "password_command=echo demo-pass" ca_file="$TESTBED_CA" \
    spool="$w/days" >"$w/days.conf"
now=$(date +%s)
PONS_TEST_NOW=$now p3_fetch "$w/days.conf"
PONS_TEST_NOW=$((now + 2 * 86400)) p3_fetch "$w/days.conf"
[ "$(testbed_status demo messages INBOX)" = 4 ]
ok $? "delete_after_days = 3: nothing deleted after 2 days ($p3_out)"
printf 'Subject: fresh\nMessage-ID: <fresh@x>\n\nfresh\n' >"$w/fresh.eml"
testbed_deliver demo INBOX "$w/fresh.eml"
PONS_TEST_NOW=$((now + 4 * 86400)) p3_fetch "$w/days.conf"
echo "$p3_out" | grep -q 'days: 1 new.*4 deleted from the server'
ok $? "after 4 days exactly the 4 old ones are deleted ($p3_out)"
[ "$(testbed_status demo messages INBOX)" = 1 ]
ok $? "the fresh one stays on the server"
[ "$(p3_count "$w/days")" = 5 ]; ok $? "all 5 are in the spool"
PONS_TEST_NOW=$((now + 4 * 86400)) p3_fetch "$w/days.conf"
echo "$p3_out" | grep -q 'days: 0 new'; ok $? "and nothing comes twice"
exit $p3_failed
