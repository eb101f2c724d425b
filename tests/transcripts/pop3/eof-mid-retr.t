# The connection drops in the middle of a RETR: no msg event, an error.
A: config
A: start
S: +OK ready
C: CAPA
S: -ERR
C: USER alice
S: +OK
C: PASS secret
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
S: Subject: half a message
A: eof
E: error temp: test closed the connection in the middle of a response
A: retr 1
E: api-error test: not in the transaction state (dead)
