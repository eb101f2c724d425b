# APOP when the account asks for it: RFC 1939 section 7's example digest.
A: config auth=apop user=mrose pass=tanstaaf
A: start
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: CAPA
S: -ERR
C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
S: +OK maildrop has 1 message (369 octets)
C: UIDL
