# BYE in the middle: reported, pending requests end, the session is over.
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
A: fetch-body 20 1 peek
C: DONE
S: * BYE shutting down
E: bye shutting down
E: done 3 temp: FETCH failed: connection lost
E: error temp: test said BYE: shutting down
