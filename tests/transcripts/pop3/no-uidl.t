# No UIDL: say so, list by LIST alone (sizes only), download anyway.
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
S: -ERR unknown command
C: LIST
S: +OK
S: 1 10
S: 2 12
S: .
E: no-uidl
E: listing 1:-:10 2:-:12
E: idle
A: retr 1
C: RETR 1
S: +OK
E: msg-begin 1
S: x
S: .
E: msg 1 x\n
E: idle
