# Implicit TLS, greeting with capabilities: AUTHENTICATE PLAIN with SASL-IR,
# then ENABLE, and the login request reported done.
P: states=yes
A: start tls
E: state greeting
S: * OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot ready.
E: greeting Dovecot ready.
E: state noauth
E: need-password
A: login alice alice-pass-1
C: a1 AUTHENTICATE PLAIN AGFsaWNlAGFsaWNlLXBhc3MtMQ==
E: state authenticating
S: a1 OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE SORT LITERAL+ CONDSTORE QRESYNC UIDPLUS MOVE ESEARCH SPECIAL-USE LIST-STATUS] Logged in
E: state auth
C: a2 ENABLE QRESYNC
S: * ENABLED QRESYNC
S: a2 OK Enabled.
E: logged-in
E: done 1 ok
