# [IN-USE] after PASS: a temporary failure (another client has the lock).
A: config auth=user
A: start
S: +OK ready
C: CAPA
S: +OK
S: SASL PLAIN
S: .
C: USER alice
S: +OK
C: PASS secret
S: -ERR [IN-USE] Mailbox is locked by another POP3 session
E: error temp: test refused the login for alice: Mailbox is locked by another POP3 session
