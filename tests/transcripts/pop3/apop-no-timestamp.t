# APOP asked for but the greeting has no timestamp: stop.
A: config auth=apop
A: start
S: +OK POP3 server ready
C: CAPA
S: -ERR
E: error refused: test does not offer APOP (no timestamp in its greeting)
