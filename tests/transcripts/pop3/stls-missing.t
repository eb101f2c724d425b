# STLS required but not offered: a clear stop, no credentials in clear.
A: config tls=starttls encrypted=no plaintext=yes
A: start
S: +OK ready
C: CAPA
S: +OK
S: USER
S: SASL PLAIN
S: .
E: error refused: test does not offer STLS; not continuing in clear text
