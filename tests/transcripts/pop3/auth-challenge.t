# A continuation after AUTH PLAIN's initial response: cancel with "*".
A: config
A: start
S: +OK ready
C: CAPA
S: +OK
S: SASL PLAIN
S: .
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: + 
C: *
S: -ERR [AUTH] cancelled
E: error auth: test refused the login for alice: cancelled
