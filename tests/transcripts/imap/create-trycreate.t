# A move refused with [TRYCREATE], then CREATE and the move again, as the
# app does when the user says yes.  The name is quoted when it needs it
# and sent in modified UTF-7; a refused CREATE carries its code.
I: login
S: a1 OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS] ok
E: logged-in
E: done 1 ok
A: select INBOX
C: a2 SELECT INBOX
S: * 3 EXISTS
S: * OK [UIDVALIDITY 9] x
S: a2 OK [READ-WRITE] ok
E: selected INBOX uidvalidity=9 exists=3 uidnext=0 highestmodseq=0 rw flags=()
E: done 2 ok [READ-WRITE]
C: a3 UID SEARCH ALL
S: * SEARCH 4 5 6
E: uids 4:6
S: a3 OK done
A: move 5 Old Mail
C: a4 UID MOVE 5 "Old Mail"
S: a4 NO [TRYCREATE] no such mailbox
E: done 3 refused: MOVE failed: no such mailbox [TRYCREATE]
A: create Old Mail
C: a5 CREATE "Old Mail"
S: a5 OK created
E: done 4 ok
A: move 5 Old Mail
C: a6 UID MOVE 5 "Old Mail"
S: * 2 EXPUNGE
E: expunge uid=5 seq=2
S: a6 OK moved
E: done 5 ok
A: create Bücher
C: a7 CREATE B&APw-cher
S: a7 NO [ALREADYEXISTS] it is there
E: done 6 refused: CREATE failed: it is there [ALREADYEXISTS]
