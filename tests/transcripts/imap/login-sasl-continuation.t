# AUTH=PLAIN without SASL-IR: the credentials follow the server's "+";
# the OK carries no capabilities, so CAPABILITY is asked again.
A: start tls
S: * OK ready
E: greeting ready
C: a1 CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN IDLE
S: a1 OK done
E: need-password
A: login bob bob-pass-2
C: a2 AUTHENTICATE PLAIN
S: + 
C: AGJvYgBib2ItcGFzcy0y
S: a2 OK Logged in
C: a3 CAPABILITY
S: * CAPABILITY IMAP4rev1 IDLE UIDPLUS
S: a3 OK done
E: logged-in
E: done 1 ok
