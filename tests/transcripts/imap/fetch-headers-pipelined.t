# Reopen of a bigger mailbox whose UIDVALIDITY the cache knows (so no
# head start, see fetch-headers-chunks.t): the UID map first, then the
# first chunk (the first screen) goes alone, so the server answers it at
# once; then `ahead` later chunks go out together, so the server never
# waits for us between chunks; each tagged OK brings one more, and never
# more than `ahead` are in flight.  A request made while they stream
# joins the pipeline instead of waiting for all of them.
P: first_chunk=2 chunk=2 ahead=3
A: start tls
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
E: need-password
A: login a b
C: a1 AUTHENTICATE PLAIN AGEAYg==
S: a1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] ok
E: logged-in
E: done 1 ok
A: select INBOX qresync 1 0
C: a2 SELECT INBOX
A: fetch-headers 0
S: * 12 EXISTS
S: * OK [UIDVALIDITY 1] x
S: * OK [UIDNEXT 13] x
S: a2 OK [READ-WRITE] ok
E: selected INBOX uidvalidity=1 exists=12 uidnext=13 highestmodseq=0 rw flags=()
E: done 2 ok [READ-WRITE]
C: a3 UID SEARCH ALL
S: * SEARCH 1 2 3 4 5 6 7 8 9 10 11 12
E: uids 1:12
S: a3 OK done
C: a4 UID FETCH 11:12 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 12 FETCH (UID 12 FLAGS () RFC822.SIZE 12)
E: message uid=12 flags=() size=12
S: * 11 FETCH (UID 11 FLAGS () RFC822.SIZE 11)
E: message uid=11 flags=() size=11
S: a4 OK done
E: progress 2/12
C: a5 UID FETCH 9:10 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
C: a6 UID FETCH 7:8 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
C: a7 UID FETCH 5:6 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
A: store 12 +\Flagged
C: a8 UID STORE 12 +FLAGS (\Flagged)
S: * 10 FETCH (UID 10 FLAGS () RFC822.SIZE 10)
E: message uid=10 flags=() size=10
S: * 9 FETCH (UID 9 FLAGS () RFC822.SIZE 9)
E: message uid=9 flags=() size=9
S: a5 OK done
E: progress 4/12
C: a9 UID FETCH 3:4 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: a6 OK done
E: progress 6/12
C: a10 UID FETCH 1:2 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: a7 OK done
E: progress 8/12
S: * 12 FETCH (UID 12 FLAGS (\Flagged))
E: message uid=12 flags=(\Flagged)
S: a8 OK done
E: done 4 ok
S: a9 OK done
E: progress 10/12
S: a10 OK done
E: progress 12/12
E: done 3 ok
C: a11 IDLE
