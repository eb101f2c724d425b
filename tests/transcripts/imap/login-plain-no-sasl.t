# No AUTH=PLAIN: LOGIN, with a literal for a password holding CR LF;
# without LITERAL+ the session waits for "+" before sending it.
A: start tls
S: * OK [CAPABILITY IMAP4rev1] ready
E: greeting ready
E: need-password
A: login joe a\r\nb
C: a1 LOGIN joe {4}
S: + go ahead
C: a
C: b
S: a1 OK [CAPABILITY IMAP4rev1 IDLE] hi
E: logged-in
E: done 1 ok
