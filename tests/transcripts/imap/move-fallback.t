# Without MOVE: COPY, STORE \Deleted, UID EXPUNGE (UIDPLUS); a refused COPY
# ends the request and drops the rest.  With MOVE: one command.
I: login
S: a1 OK [CAPABILITY IMAP4rev1 UIDPLUS] ok
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
A: move 4,6 Trash
C: a4 UID COPY 4,6 Trash
S: a4 OK [COPYUID 1 4,6 100:101] copied
C: a5 UID STORE 4,6 +FLAGS.SILENT (\Deleted)
S: a5 OK stored
C: a6 UID EXPUNGE 4,6
S: * 3 EXPUNGE
E: expunge uid=6 seq=3
S: * 1 EXPUNGE
E: expunge uid=4 seq=1
S: a6 OK expunged
E: done 3 ok
A: move 5 No Such
C: a7 UID COPY 5 "No Such"
S: a7 NO [TRYCREATE] no such mailbox
E: done 4 refused: COPY failed: no such mailbox [TRYCREATE]
S: * CAPABILITY IMAP4rev1 UIDPLUS MOVE
A: move 5 Trash
C: a10 UID MOVE 5 Trash
S: * OK [COPYUID 1 5 102] moved
S: * 1 EXPUNGE
E: expunge uid=5 seq=1
S: a10 OK done
E: done 5 ok
