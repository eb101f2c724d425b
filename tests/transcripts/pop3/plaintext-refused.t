# tls = none without allow_plaintext: no USER, PASS or AUTH in clear.
A: config tls=none encrypted=no
A: start
S: +OK ready
C: CAPA
S: +OK
S: USER
S: SASL PLAIN
S: .
E: error refused: refusing to log in to test without TLS (set allow_plaintext = yes to permit it)
