# allow_plaintext = yes: clear-text login is the account's choice.
P: tls=none allow_plaintext=yes
A: start plain
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready
E: greeting ready
E: need-password
A: login alice alice-pass-1
C: a1 AUTHENTICATE PLAIN
S: + 
C: AGFsaWNlAGFsaWNlLXBhc3MtMQ==
S: a1 OK [CAPABILITY IMAP4rev1] ok
E: logged-in
E: done 1 ok
