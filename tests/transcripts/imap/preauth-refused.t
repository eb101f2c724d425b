# PREAUTH on a clear-text connection of an account that wants TLS: a
# man in the middle could have stripped STARTTLS, so refuse.
P: tls=starttls
A: start plain
S: * PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome
E: greeting welcome
E: error tls: test: PREAUTH on a connection without TLS refused
A: select INBOX
E: refused temp: not connected
