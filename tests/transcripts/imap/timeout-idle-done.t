# A link that went silently dead during IDLE: DONE gets no answer, and the
# session notices within the timeout.
P: timeout=30s idle_restart=10m
I: login
S: a1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] ok
E: logged-in
E: done 1 ok
A: select INBOX
C: a2 SELECT INBOX
S: * 4 EXISTS
S: * OK [UIDVALIDITY 5] x
S: a2 OK [READ-WRITE] ok
E: selected INBOX uidvalidity=5 exists=4 uidnext=0 highestmodseq=0 rw flags=()
E: done 2 ok [READ-WRITE]
C: a3 UID SEARCH ALL
S: * SEARCH 10 20 30 40
E: uids 10,20,30,40
S: a3 OK done
C: a4 IDLE
S: + idling
A: deadline
E: deadline +600000
T: +10m
C: DONE
A: deadline
E: deadline +30000
T: +29s
T: +1s
E: error temp: test did not answer within 30 s
A: noop
E: refused temp: not connected
