# Copy, and move on a server with neither MOVE nor UIDPLUS: COPY then
# STORE \Deleted, and no EXPUNGE (a plain EXPUNGE would also remove other
# messages the user marked).  A refused STORE after a good COPY ends the
# request with the STORE's refusal.  A refused MOVE ends it at once.
A: start tls
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
E: need-password
A: login a b
C: a1 AUTHENTICATE PLAIN AGEAYg==
S: a1 OK [CAPABILITY IMAP4rev1] ok
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
A: copy 4 Archive
C: a4 UID COPY 4 Archive
S: a4 OK copied
E: done 3 ok
A: move 5 Archive
C: a5 UID COPY 5 Archive
S: a5 OK copied
C: a6 UID STORE 5 +FLAGS.SILENT (\Deleted)
S: a6 OK stored
E: done 4 ok
A: move 6 Archive
C: a7 UID COPY 6 Archive
S: a7 OK copied
C: a8 UID STORE 6 +FLAGS.SILENT (\Deleted)
S: a8 NO read-only here
E: done 5 refused: STORE failed: read-only here
A: noop
C: a9 NOOP
S: a9 OK nothing
E: done 6 ok
S: * CAPABILITY IMAP4rev1 UIDPLUS MOVE
A: move 6 Nope
C: a10 UID MOVE 6 Nope
S: a10 NO [TRYCREATE] no such mailbox
E: done 7 refused: MOVE failed: no such mailbox [TRYCREATE]
A: copy 4 My Folder
C: a11 UID COPY 4 "My Folder"
S: a11 OK [COPYUID 9 4 7] copied
E: done 8 ok [COPYUID 9 4 7]
