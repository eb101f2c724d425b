# Without PIPELINING one command at a time; DELE -ERR is reported.
A: config
A: start
S: +OK ready
C: CAPA
S: +OK
S: SASL PLAIN
S: .
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: +OK
C: UIDL
S: +OK
S: 1 a
S: 2 b
S: .
C: LIST
S: +OK
S: 1 3
S: 2 3
S: .
E: listing 1:a:3 2:b:3
E: idle
A: retr 1
C: RETR 1
A: retr 2
A: dele 1
S: +OK
E: msg-begin 1
S: one
S: .
E: msg 1 one\n
C: RETR 2
S: +OK
E: msg-begin 2
S: two
S: .
E: msg 2 two\n
C: DELE 1
S: -ERR [SYS/PERM] message is locked
E: dele-failed 1 proto: message is locked
E: idle
A: quit
C: QUIT
S: +OK
E: done
