# Cold open of a mailbox of one chunk or less: every message in one FETCH
# by sequence number, sizes included, and no UID SEARCH: the rows bring
# the UID map, so the header job has nothing left to fetch (its NOOP
# keeps its end after the request, in order).
P: first_chunk=2 chunk=3 ahead=2
I: login
S: a1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] ok
E: logged-in
E: done 1 ok
A: select INBOX
C: a2 SELECT INBOX
A: fetch-headers 0
S: * 3 EXISTS
S: * OK [UIDVALIDITY 1] x
S: * OK [UIDNEXT 12] x
S: a2 OK [READ-WRITE] ok
E: selected INBOX uidvalidity=1 exists=3 uidnext=12 highestmodseq=0 rw flags=()
E: done 2 ok [READ-WRITE]
C: a3 FETCH 1:3 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 1 FETCH (UID 5 FLAGS () RFC822.SIZE 10 BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {17}\r\nSubject: five\r\n\r\n)
E: message uid=5 flags=() size=10 header=17 subject="five"
S: * 2 FETCH (UID 10 FLAGS () RFC822.SIZE 10 BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {16}\r\nSubject: ten\r\n\r\n)
E: message uid=10 flags=() size=10 header=16 subject="ten"
S: * 3 FETCH (UID 11 FLAGS (\Seen) RFC822.SIZE 10 BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {19}\r\nSubject: eleven\r\n\r\n)
E: message uid=11 flags=(\Seen) size=10 header=19 subject="eleven"
S: a3 OK done
E: uids 5,10:11
C: a4 NOOP
S: a4 OK done
E: done 3 ok
C: a5 IDLE
