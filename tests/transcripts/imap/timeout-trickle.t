# A server that trickles a byte now and then never completes a response:
# the deadline is per response, not per read.
P: timeout=60s
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
A: noop
C: DONE
T: +20s
s: a4 O
T: +20s
s: K
T: +19s
s: !
T: +1s
E: done 3 temp: NOOP failed: connection lost
E: error temp: test did not answer within 60 s
