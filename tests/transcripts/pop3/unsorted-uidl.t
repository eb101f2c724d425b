# UIDL and LIST in any order (and a LIST line for an unknown message).
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
S: 3 c
S: 1 a
S: 2 b
S: .
C: LIST
S: +OK
S: 2 20
S: 9 90
S: 3 30
S: 1 10
S: .
E: listing 1:a:10 2:b:20 3:c:30
E: idle
