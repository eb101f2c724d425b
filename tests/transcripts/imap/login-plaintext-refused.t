# A clear-text connection with allow_plaintext off: the password is never
# sent, whatever the server offers.
P: tls=none
A: start plain
A: login alice alice-pass-1
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
E: done 1 refused: LOGIN failed: test: refusing to send the password over a connection without TLS (allow_plaintext is off)
E: error refused: test: refusing to send the password over a connection without TLS (allow_plaintext is off)
