# NOTIFY (RFC 5465): set once the owner asks (imap_session_notify, when
# the open mailbox is in step), never at login: Dovecot's SELECT of a big
# mailbox is many times slower while NOTIFY watches other folders.  A
# request while a command runs is pipelined behind it.
# Other mailboxes' news comes as unsolicited STATUS
# (IMAP_EV_STATUS, cmd 0); new mail in the selected one comes with the
# FETCH the index needs, so pons sends no UID FETCH of its own, unless the
# FETCH does not come (after a tagged answer, or after a grace second).
I: login
S: a1 OK [CAPABILITY IMAP4rev1 IDLE ENABLE CONDSTORE UIDPLUS LITERAL+ NOTIFY] ok
C: a2 ENABLE CONDSTORE
S: * ENABLED CONDSTORE
S: a2 OK enabled
E: logged-in
E: done 1 ok
# news of another mailbox before NOTIFY, with nothing selected
S: * STATUS Sent (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 7 UNSEEN 1 HIGHESTMODSEQ 2)
E: status "Sent" messages=1 unseen=1 uidnext=2
A: select INBOX
C: a3 SELECT INBOX
S: * 2 EXISTS
S: * OK [UIDVALIDITY 5] x
S: * OK [HIGHESTMODSEQ 4] x
S: a3 OK [READ-WRITE] ok
E: selected INBOX uidvalidity=5 exists=2 uidnext=0 highestmodseq=4 rw flags=()
E: done 2 ok [READ-WRITE]
C: a4 UID SEARCH ALL
S: * SEARCH 1 2
E: uids 1:2
A: notify
C: a5 NOTIFY SET STATUS (SELECTED (MessageNew (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)]) MessageExpunge FlagChange)) (PERSONAL (MessageNew MessageExpunge FlagChange))
S: a4 OK done
S: a5 OK NOTIFY completed
C: a6 IDLE
S: + idling
# another folder changes while the selected one idles
S: * STATUS "Entw&APw-rfe" (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 9 UNSEEN 2 HIGHESTMODSEQ 6)
E: status "Entwürfe" messages=3 unseen=2 uidnext=4
# a flag changed there: Dovecot sends only what changed
S: * STATUS "Entw&APw-rfe" (UNSEEN 1 HIGHESTMODSEQ 7)
E: status "Entwürfe" unseen=1
# new mail in the selected mailbox: EXISTS and its FETCH, nothing sent
S: * 3 EXISTS
E: exists 3
S: * 3 FETCH (UID 7 FLAGS () INTERNALDATE "26-Nov-2026 10:00:00 +0000" RFC822.SIZE 99 MODSEQ (5) BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {38}\r\nFrom: A <a@x.org>\r\nSubject: pushed\r\n\r\n)
E: message uid=7 flags=() size=99 date=1795687200 modseq=5 header=38 subject="pushed"
A: deadline
E: deadline +1000
T: +1s
# a flag changed and a message expunged elsewhere
S: * 1 FETCH (UID 1 MODSEQ (6) FLAGS (\Seen))
E: message uid=1 flags=(\Seen) modseq=6
S: * 2 EXPUNGE
E: expunge uid=2 seq=2
# an EXISTS whose FETCH never comes: fetched after the grace
S: * 3 EXISTS
E: exists 3
T: +999ms
T: +1ms
C: DONE
S: a6 OK IDLE terminated
C: a7 UID FETCH 8:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 3 FETCH (UID 8 FLAGS () RFC822.SIZE 5)
E: message uid=8 flags=() size=5
S: a7 OK done
C: a8 IDLE
S: + idling
A: idle off
C: DONE
S: a8 OK IDLE terminated
# our own APPEND grows the selected mailbox: its tagged answer shows that
# no FETCH came, so the new message is fetched at once
A: append INBOX - hello
C: a9 APPEND INBOX {5+}
C: hello
S: * 4 EXISTS
E: exists 4
S: a9 OK [APPENDUID 5 9] done
E: done 3 ok [APPENDUID 5 9]
C: a10 UID FETCH 9:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 4 FETCH (UID 9 FLAGS () RFC822.SIZE 5)
E: message uid=9 flags=() size=5
S: a10 OK done
