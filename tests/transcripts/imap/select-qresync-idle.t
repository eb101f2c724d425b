# Reopen with QRESYNC: only what changed comes back (VANISHED (EARLIER),
# changed flags); then the UID map, IDLE, new mail fetched at once, an
# EXPUNGE and a VANISHED while idling, and the IDLE restart timer.
P: idle_restart=25m
A: start tls
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
E: greeting ready
E: need-password
A: login a b
C: a1 AUTHENTICATE PLAIN AGEAYg==
S: a1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE ESEARCH ENABLE QRESYNC CONDSTORE SPECIAL-USE LIST-STATUS LITERAL+] ok
C: a2 ENABLE QRESYNC
S: * ENABLED QRESYNC
S: a2 OK enabled
E: logged-in
E: done 1 ok
A: select INBOX qresync 67890007 20050715194045000 41:211
C: a3 SELECT INBOX (QRESYNC (67890007 20050715194045000 41:211))
S: * 10 EXISTS
S: * OK [UIDVALIDITY 67890007] UIDVALIDITY
S: * OK [UIDNEXT 600] Predicted next UID
S: * OK [HIGHESTMODSEQ 20050715194045020] Highest
S: * FLAGS (\Answered \Flagged \Draft \Deleted \Seen)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Draft \Deleted \Seen \*)] Permanent
S: * VANISHED (EARLIER) 41,43:116,118,120:211,214:540
E: vanished earlier 41,43:116,118,120:211,214:540
S: * 3 FETCH (UID 117 FLAGS (\Seen \Answered) MODSEQ (20050715194045020))
E: message uid=117 flags=(\Seen \Answered) modseq=20050715194045020
S: a3 OK [READ-WRITE] mailbox selected
E: selected INBOX uidvalidity=67890007 exists=10 uidnext=600 highestmodseq=20050715194045020 rw qresync flags=(\Answered \Flagged \Draft \Deleted \Seen)
E: done 2 ok [READ-WRITE]
C: a4 UID SEARCH RETURN (ALL) ALL
S: * ESEARCH (TAG "a4") UID ALL 42,117,212:213,541:546
E: uids 42,117,212:213,541:546
S: a4 OK done
C: a5 IDLE
S: + idling
A: deadline
E: deadline +1500000
S: * 11 EXISTS
E: exists 11
C: DONE
S: a5 OK IDLE terminated
C: a6 UID FETCH 547:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 11 FETCH (UID 547 FLAGS () INTERNALDATE "26-Nov-2026 10:00:00 +0000" RFC822.SIZE 1234 MODSEQ (20050715194045021) BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] {98}\r\nFrom: A <a@x.org>\r\nSubject: new mail\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <m@x>\r\n\r\n)
E: message uid=547 flags=() size=1234 date=1795687200 modseq=20050715194045021 header=98 subject="new mail"
S: a6 OK done
C: a7 IDLE
S: + idling
S: * 2 EXPUNGE
E: expunge uid=117 seq=2
S: * 1 FETCH (UID 42 FLAGS (\Seen) MODSEQ (20050715194045030))
E: message uid=42 flags=(\Seen) modseq=20050715194045030
S: * 3 FETCH (FLAGS (\Flagged))
E: message uid=213 flags=(\Flagged)
S: * VANISHED 212
E: vanished 212
S: * 2 FETCH (FLAGS (\Deleted))
E: message uid=213 flags=(\Deleted)
T: +24m
T: +1m
C: DONE
S: a7 OK IDLE terminated
C: a8 IDLE
S: + idling
A: idle off
C: DONE
S: a8 OK IDLE terminated
