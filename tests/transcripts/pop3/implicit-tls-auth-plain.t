# Implicit TLS, AUTH PLAIN with an initial response, UIDL/LIST, pipelined
# RETR (dot-stuffed bodies), DELE and QUIT.
A: config tls=implicit encrypted=yes
A: start
S: +OK Dovecot ready.
C: CAPA
S: +OK
S: CAPA
S: TOP
S: UIDL
S: RESP-CODES
S: PIPELINING
S: USER
S: SASL PLAIN LOGIN
S: .
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: +OK Logged in.
C: UIDL
S: +OK
S: 1 uid-one
S: 2 uid-two
S: .
C: LIST
S: +OK 2 messages
S: 1 20
S: 2 31
S: .
E: listing 1:uid-one:20 2:uid-two:31
E: idle
A: retr 1
C: RETR 1
A: retr 2
C: RETR 2
S: +OK 20 octets
E: msg-begin 1
S: Subject: one
S: 
S: hi
S: .
E: msg 1 Subject: one\n\nhi\n
S: +OK 31 octets
E: msg-begin 2
S: Subject: two
S: 
S: ..leading dot
S: .
E: msg 2 Subject: two\n\n.leading dot\n
E: idle
A: dele 1
C: DELE 1
S: +OK Marked to be deleted.
E: dele-ok 1
E: idle
A: quit
C: QUIT
S: +OK Logging out, messages deleted.
E: done
