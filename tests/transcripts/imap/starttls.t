# STARTTLS: the capabilities before TLS are forgotten, and a response
# injected in clear text right after the OK is discarded.
P: tls=starttls states=yes
A: start plain
E: state greeting
A: login alice alice-pass-1
S: * OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready
E: greeting ready
E: state starttls
C: a1 STARTTLS
S: a1 OK Begin TLS negotiation now.\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR
E: need-tls
A: tls-ready
C: a2 CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN
S: a2 OK done
E: state noauth
C: a3 AUTHENTICATE PLAIN
E: state authenticating
S: + 
C: AGFsaWNlAGFsaWNlLXBhc3MtMQ==
S: a3 OK [CAPABILITY IMAP4rev1] Logged in
E: state auth
E: logged-in
E: done 1 ok
