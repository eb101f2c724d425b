# A server without NOTIFY: no NOTIFY command, IDLE on the selected mailbox
# only, and new mail fetched by pons at once after EXISTS.
I: login
S: a1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] ok
E: logged-in
E: done 1 ok
A: select INBOX
C: a2 SELECT INBOX
S: * 1 EXISTS
S: * OK [UIDVALIDITY 5] x
S: a2 OK [READ-WRITE] ok
E: selected INBOX uidvalidity=5 exists=1 uidnext=0 highestmodseq=0 rw flags=()
E: done 2 ok [READ-WRITE]
C: a3 UID SEARCH ALL
S: * SEARCH 4
E: uids 4
S: a3 OK done
C: a4 IDLE
S: + idling
S: * 2 EXISTS
E: exists 2
C: DONE
S: a4 OK IDLE terminated
C: a5 UID FETCH 5:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 2 FETCH (UID 5 FLAGS () RFC822.SIZE 5)
E: message uid=5 flags=() size=5
S: a5 OK done
C: a6 IDLE
