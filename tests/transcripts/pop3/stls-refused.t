# The server offers STLS and then refuses it: stop.
A: config tls=starttls encrypted=no
A: start
S: +OK ready
C: CAPA
S: +OK
S: STLS
S: .
C: STLS
S: -ERR [SYS/TEMP] TLS unavailable
E: error tls: test refused STLS: TLS unavailable
