# tls = starttls on a clear connection: STLS, bytes after its +OK are
# discarded (RFC 2595 section 4), CAPA again after the handshake.
A: config tls=starttls encrypted=no
A: start
S: +OK ready
C: CAPA
S: +OK
S: STLS
S: USER
S: .
C: STLS
R: +OK Begin TLS\r\n-ERR injected before the handshake\r\n
E: starttls
S: +OK ignored too
A: tls-done
C: CAPA
S: +OK
S: USER
S: SASL PLAIN
S: .
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: +OK
C: UIDL
S: +OK
S: .
C: LIST
S: +OK
S: .
E: listing
E: idle
A: quit
C: QUIT
S: +OK bye
E: done
