# The same cold open as fetch-headers-chunks.t for a batch command (pons
# imap-sync): no screen waits for the newest messages, so there is no
# head start by sequence number and no first chunk sent alone: the UID
# map, then every chunk at the full size, `ahead` at a time.
P: first_chunk=2 chunk=3 ahead=2 batch=yes
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
C: a3 UID SEARCH ALL
S: * SEARCH 1 2 3 5 8 10 11
E: uids 1:3,5,8,10:11
S: a3 OK done
C: a4 UID FETCH 8,10:11 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
C: a5 UID FETCH 2:3,5 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 6 FETCH (UID 10 FLAGS () RFC822.SIZE 10 BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {16}\r\nSubject: ten\r\n\r\n)
E: message uid=10 flags=() size=10 header=16 subject="ten"
S: a4 OK done
E: progress 3/7
C: a6 UID FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: a5 OK done
E: progress 6/7
S: a6 OK done
E: progress 7/7
E: done 3 ok
C: a7 IDLE
