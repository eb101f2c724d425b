# tls = none with allow_plaintext = yes; no SASL offered: USER/PASS.
A: config tls=none encrypted=no plaintext=yes
A: start
S: +OK ready
C: CAPA
S: +OK
S: USER
S: UIDL
S: .
C: USER alice
S: +OK
C: PASS secret
S: +OK maildrop locked and ready
C: UIDL
S: +OK
S: 1 a
S: .
C: LIST
S: +OK
S: 1 5
S: .
E: listing 1:a:5
E: idle
