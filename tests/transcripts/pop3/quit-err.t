# -ERR to QUIT: deletions were not committed.
A: config
A: start
S: +OK ready
C: CAPA
S: -ERR
C: USER alice
S: +OK
C: PASS secret
S: +OK
C: UIDL
S: +OK
S: .
C: LIST
S: +OK
S: .
E: listing
E: idle
A: dele 1
C: DELE 1
S: +OK
E: dele-ok 1
E: idle
A: quit
C: QUIT
S: -ERR [SYS/TEMP] some deleted messages not removed
E: error temp: test: QUIT failed, deletions not committed: some deleted messages not removed
