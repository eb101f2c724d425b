# One deadline per response: a server that trickles a few bytes at a
# time never completes the response, and a silent one is cut off.
A: config timeout=60000
A: start
T: +59s
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
S: .
C: LIST
S: +OK
S: 1 100
S: .
E: listing 1:a:100
E: idle
A: retr 1
C: RETR 1
S: +OK
E: msg-begin 1
T: +20s
R: ab
T: +20s
R: cd
T: +19s
R: e
T: +1s
E: error temp: test: no response within 60 s (transaction)
