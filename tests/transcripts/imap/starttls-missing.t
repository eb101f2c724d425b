# The account wants STARTTLS and the server does not offer it: a clear
# stop, and no credentials on the wire.
P: tls=starttls
A: start plain
A: login alice alice-pass-1
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready
E: greeting ready
E: done 1 tls: LOGIN failed: test does not offer STARTTLS; not logging in without TLS
E: error tls: test does not offer STARTTLS; not logging in without TLS
S: * OK still here
