# Mailbox data before login is ignored (and logged), not applied.
A: start tls
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
E: need-password
S: * 5 EXISTS
S: * 3 EXPUNGE
S: * 1 FETCH (UID 1 FLAGS (\Seen))
S: * LIST () "/" INBOX
A: login a b
C: a1 AUTHENTICATE PLAIN AGEAYg==
S: a1 OK [CAPABILITY IMAP4rev1] ok
E: logged-in
E: done 1 ok
