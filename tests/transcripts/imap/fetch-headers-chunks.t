# Cold open (nothing cached) of a mailbox bigger than a chunk: first the
# newest first_chunk messages by sequence number (the first screen)
# before the UID SEARCH, which costs a server time in proportion to the
# mailbox; without RFC822.SIZE, which costs Dovecot a read of its whole
# UID list.  Then the UID map, and every message newest first in chunks,
# `ahead` at a time (ahead=2): the head start's rows come again, whole.
P: first_chunk=2 chunk=3 ahead=2
A: start tls
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
E: need-password
A: login a b
C: a1 AUTHENTICATE PLAIN AGEAYg==
S: a1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] ok
E: logged-in
E: done 1 ok
A: select INBOX
C: a2 SELECT INBOX
A: fetch-headers 0
S: * 7 EXISTS
S: * OK [UIDVALIDITY 1] x
S: * OK [UIDNEXT 12] x
S: a2 OK [READ-WRITE] ok
E: selected INBOX uidvalidity=1 exists=7 uidnext=12 highestmodseq=0 rw flags=()
E: done 2 ok [READ-WRITE]
C: a3 FETCH 6:7 (UID FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 6 FETCH (UID 10 FLAGS () BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {16}\r\nSubject: ten\r\n\r\n)
E: message uid=10 flags=() header=16 subject="ten"
S: * 7 FETCH (UID 11 FLAGS (\Seen) BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {19}\r\nSubject: eleven\r\n\r\n)
E: message uid=11 flags=(\Seen) header=19 subject="eleven"
S: a3 OK done
C: a4 UID SEARCH ALL
S: * SEARCH 1 2 3 5 8 10 11
E: uids 1:3,5,8,10:11
S: a4 OK done
C: a5 UID FETCH 8,10:11 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
C: a6 UID FETCH 2:3,5 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
A: store 11 -\Seen
C: a7 UID STORE 11 -FLAGS (\Seen)
S: * 6 FETCH (UID 10 FLAGS () RFC822.SIZE 10 BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {16}\r\nSubject: ten\r\n\r\n)
E: message uid=10 flags=() size=10 header=16 subject="ten"
S: a5 OK done
E: progress 3/7
C: a8 UID FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: a6 OK done
E: progress 6/7
S: a8 OK done
E: progress 7/7
E: done 3 ok
S: * 7 FETCH (UID 11 FLAGS ())
E: message uid=11 flags=()
S: a7 OK done
E: done 4 ok
C: a9 IDLE
