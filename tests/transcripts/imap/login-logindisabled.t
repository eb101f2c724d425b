# LOGINDISABLED and no AUTH=PLAIN: stop, nothing sent.
A: start tls
A: login alice alice-pass-1
S: * OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=GSSAPI] ready
E: greeting ready
E: done 1 refused: LOGIN failed: test: server disables LOGIN and offers no AUTH=PLAIN
E: error refused: test: server disables LOGIN and offers no AUTH=PLAIN
S: a1 OK whatever
