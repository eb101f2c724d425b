# Wrong password: the request fails with an auth error, the password is
# forgotten and asked again; the second try works.
A: start tls
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
E: need-password
A: login alice wrong
C: a1 AUTHENTICATE PLAIN AGFsaWNlAHdyb25n
S: a1 NO [AUTHENTICATIONFAILED] Authentication failed.
E: done 1 auth: LOGIN failed: Authentication failed. [AUTHENTICATIONFAILED]
E: need-password
A: login alice alice-pass-1
C: a2 AUTHENTICATE PLAIN AGFsaWNlAGFsaWNlLXBhc3MtMQ==
S: a2 OK [CAPABILITY IMAP4rev1] Logged in
E: logged-in
E: done 2 ok
