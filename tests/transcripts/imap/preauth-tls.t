# PREAUTH over TLS is fine: straight to the authenticated state.
A: start tls
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE] welcome
E: greeting welcome
E: logged-in
