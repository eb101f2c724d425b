# AUTHENTICATE PLAIN rejected as BAD (mechanism broken): fall back to
# LOGIN, quoting a password with specials.  Credentials given before the
# greeting are used as soon as the session is ready.
A: start tls
A: login joe p"w (x)
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
C: a1 AUTHENTICATE PLAIN AGpvZQBwIncgKHgp
S: a1 BAD mechanism unavailable
C: a2 LOGIN joe "p\"w (x)"
S: a2 OK [CAPABILITY IMAP4rev1] Logged in
E: logged-in
E: done 1 ok
