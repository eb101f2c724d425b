# STARTTLS offered but refused: stop without logging in.
P: tls=starttls
A: start plain
A: login alice alice-pass-1
S: * OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready
E: greeting ready
C: a1 STARTTLS
S: a1 NO not today
E: done 1 tls: LOGIN failed: test refused STARTTLS: not today
E: error tls: test refused STARTTLS: not today
