# PIPELINING with a window of 2: the third RETR waits for a free slot.
# Bodies arrive byte by byte with bare LF and a 3-line TOP.
A: config pipeline=2
A: start
S: +OK ready
C: CAPA
S: +OK
S: PIPELINING
S: SASL PLAIN
S: .
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: +OK
C: UIDL
S: +OK
S: 1 a/../b
S: 2 ..
S: 3 c
S: .
C: LIST
S: +OK
S: 1 1
S: 2 1
S: 3 1
S: .
E: listing 1:a/../b:1 2:..:1 3:c:1
E: idle
A: retr-all
C: RETR 1
C: RETR 2
R: +OK\n1\n.\n
E: msg-begin 1
E: msg 1 1\n
C: RETR 3
R: +OK\r\n2\r\n.\r\n+OK\r\n3\r\n.\r\n
E: msg-begin 2
E: msg 2 2\n
E: msg-begin 3
E: msg 3 3\n
E: idle
A: top 1 0
C: TOP 1 0
S: +OK
E: top-begin 1
S: Subject: s
S: 
S: .
E: top 1 Subject: s\n\n
E: idle
