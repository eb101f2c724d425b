# Without IDLE the selected mailbox is polled with NOOP; changes come in
# its untagged answers.
P: poll=30s
I: login
S: a1 OK [CAPABILITY IMAP4rev1] ok
E: logged-in
E: done 1 ok
A: select INBOX
C: a2 SELECT INBOX
S: * 0 EXISTS
S: a2 OK ok
E: selected INBOX uidvalidity=0 exists=0 uidnext=0 highestmodseq=0 rw flags=()
E: done 2 ok
C: a3 UID SEARCH ALL
S: * SEARCH
E: uids none
S: a3 OK done
A: deadline
E: deadline +30000
T: +29s
T: +1s
C: a4 NOOP
S: * 1 EXISTS
E: exists 1
C: a5 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: a4 OK done
S: * 1 FETCH (UID 3 FLAGS () RFC822.SIZE 5)
E: message uid=3 flags=() size=5
S: a5 OK done
T: +30s
C: a6 NOOP
S: a6 OK done
