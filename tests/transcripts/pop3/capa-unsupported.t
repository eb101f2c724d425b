# A server without CAPA (RFC 1939 only): USER/PASS.
A: config
A: start
S: +OK ready
C: CAPA
S: -ERR unknown command
C: USER alice
S: +OK
C: PASS secret
S: +OK
C: UIDL
