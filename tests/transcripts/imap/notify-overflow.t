# The server stops notifying (RFC 5465 section 5.8: NOTIFICATIONOVERFLOW):
# pons says so once and fetches new mail itself again.
I: login
S: a1 OK [CAPABILITY IMAP4rev1 IDLE NOTIFY] ok
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
A: notify
C: a4 NOTIFY SET STATUS (SELECTED (MessageNew (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)]) MessageExpunge FlagChange)) (PERSONAL (MessageNew MessageExpunge FlagChange))
S: a3 OK done
S: a4 OK done
C: a5 IDLE
S: + idling
S: * OK [NOTIFICATIONOVERFLOW] too many changes
E: warn temp: test stopped notifying changes (NOTIFICATIONOVERFLOW); only the open folder stays live
S: * OK [NOTIFICATIONOVERFLOW] again
S: * 2 EXISTS
E: exists 2
C: DONE
S: a5 OK IDLE terminated
C: a6 UID FETCH 5:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
