# AUTH PLAIN refused with [AUTH]: wrong credentials, no second try.
A: config
A: start
S: +OK ready
C: CAPA
S: +OK
S: SASL PLAIN
S: USER
S: .
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: -ERR [AUTH] Authentication failed.
E: error auth: test refused the login for alice: Authentication failed.
