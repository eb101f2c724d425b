# Opening a message: BODYSTRUCTURE, then one part with PEEK, then flags
# set explicitly; the literal arrives in pieces.
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
A: fetch-structure 20
C: DONE
S: a4 OK done
C: a5 UID FETCH 20 (UID BODYSTRUCTURE)
S: * 2 FETCH (UID 20 BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 5 1 NIL NIL NIL NIL)("APPLICATION" "PDF" NIL NIL NIL "BASE64" 100 NIL NIL NIL NIL) "MIXED"))
E: message uid=20 parts=2
S: a5 OK done
E: done 3 ok
C: a6 IDLE
A: fetch-body 20 1 peek
S: + idling
C: DONE
S: a6 OK done
C: a7 UID FETCH 20 (UID BODY.PEEK[1])
s: * 2 FETCH (UID 20 BODY[1] {5}\r\nhe
s: llo)
S: 
E: body uid=20 section=1 len=5
S: a7 OK done
E: done 4 ok
C: a8 IDLE
A: store 20 +\Seen
S: + idling
C: DONE
S: a8 OK done
C: a9 UID STORE 20 +FLAGS (\Seen)
S: * 2 FETCH (UID 20 FLAGS (\Seen))
E: message uid=20 flags=(\Seen)
S: a9 OK done
E: done 5 ok
C: a10 IDLE
A: fetch-body 0 1
E: refused input: bad message or section
A: fetch-body 20 1]x
E: refused input: bad message or section
A: store 20 +\Seen) (x
E: refused input: bad flag list
