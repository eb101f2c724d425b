# APPEND without LITERAL+: the message waits for the server's "+".
A: start tls
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
E: need-password
A: login a b
C: a1 AUTHENTICATE PLAIN AGEAYg==
S: a1 OK [CAPABILITY IMAP4rev1 UIDPLUS] ok
E: logged-in
E: done 1 ok
A: append Sent \Seen From: a\r\n\r\nhi\r\n
C: a2 APPEND Sent (\Seen) {15}
S: + Ready for literal data
C: From: a
C: 
C: hi
C: 
S: a2 OK [APPENDUID 38505 3955] APPEND completed
E: done 2 ok [APPENDUID 38505 3955]
