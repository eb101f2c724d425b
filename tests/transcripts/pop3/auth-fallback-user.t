# AUTH PLAIN refused without a response code: fall back to USER/PASS once.
A: config
A: start
S: +OK ready
C: CAPA
S: +OK
S: SASL PLAIN
S: .
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: -ERR mechanism not available
C: USER alice
S: +OK
C: PASS secret
S: -ERR [AUTH] invalid password
E: error auth: test refused the login for alice: invalid password
