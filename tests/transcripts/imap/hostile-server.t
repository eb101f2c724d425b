# A server that is not sane: each case is handled, reported, and the
# session goes on.
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
# EXPUNGE beyond EXISTS: ignored
S: * 9 EXPUNGE
E: warn proto: test: EXPUNGE of message 9, but INBOX has 4
S: * 0 EXPUNGE
E: warn proto: test: EXPUNGE of message 0, but INBOX has 4
# FETCH for a message number that does not exist, with a UID never seen
S: * 7 FETCH (UID 999 FLAGS (\Seen))
E: warn proto: test: FETCH for message 7 of 4 in INBOX
E: message uid=999 flags=(\Seen)
# a zero UID: what else the response says is kept, the UID is not
S: * 2 FETCH (UID 0 FLAGS (\Flagged))
E: warn proto: test: bad UID in FETCH (message 2)
E: message uid=20 flags=(\Flagged)
# a UID that contradicts the map: resync
S: * 2 FETCH (UID 35 FLAGS ())
E: warn proto: test: UID 35 at message 2 contradicts what test said before
E: resync INBOX: sequence numbers and UIDs disagree
E: message uid=35 flags=()
C: DONE
S: a4 OK done
C: a5 UID SEARCH ALL
S: * SEARCH 10 35 30 40
E: uids 10,30,35,40
S: a5 OK done
C: a6 IDLE
S: + idling
# a sequence set as wide as it gets costs what we know
S: * VANISHED 1:4294967295
E: vanished 1:*
# EXISTS that shrinks: resync
S: * 3 EXISTS
E: exists 3
C: DONE
S: a6 OK done
C: a7 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)])
S: * 2 EXISTS
E: resync INBOX: EXISTS went down without EXPUNGE
C: a8 UID SEARCH ALL
S: * 1 FETCH (UID 50 FLAGS ())
E: message uid=50 flags=()
S: a7 OK done
S: * SEARCH 50 51
E: uids 50:51
S: a8 OK done
C: a9 IDLE
S: + idling
# UIDVALIDITY changes under us: the cache is void
S: * OK [UIDVALIDITY 6] new
E: resync INBOX: UIDVALIDITY changed
C: DONE
S: a9 OK done
C: a10 UID SEARCH ALL
S: * SEARCH 1 2
E: uids 1:2
S: a10 OK done
C: a11 IDLE
S: + idling
# a tagged answer to nothing, garbage, an unknown response
S: zz9 OK what
E: warn proto: test: answer to unknown tag zz9 ignored
S: * 1 FETCH (UID 1 FLAGS (\Seen)
E: warn proto: test: unterminated list in FETCH, items after it ignored (message 1)
E: message uid=1 flags=(\Seen)
# a damaged FETCH still gives the items before the damage (issue 4)
S: * 2 FETCH (UID 2 FLAGS (\Seen) RFC822.SIZE 5 X-BAD "unterminated)
E: warn proto: test: unterminated quoted string in FETCH, items after it ignored (message 2)
E: message uid=2 flags=(\Seen) size=5
S: * 2 FETCH (UID 2 FLAGS (\Seen) RFC822.SIZE 5 BODY[HEADER.FIELDS (SUBJECT)] {4}
s: ab\r\n)) x\r\n
E: warn proto: test: junk after the response in FETCH, items after it ignored (message 2)
E: message uid=2 flags=(\Seen) size=5 header=4
# escapes in a decoded subject stay escaped in the event text (C0 and C1)
S: * 2 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {43}\r\nSubject: =?utf-8?q?a=C2=9B[2J=1B[31mb?=\r\n\r\n)
E: message uid=2 header=43 subject="a\u009b[2J\x1b[31mb"
S: * XYZZY 1 2 3
S: * 1 RECENT
S: * 2 FETCH (FLAGS (\Seen))
E: message uid=2 flags=(\Seen)
# a mailbox of four billion messages would cost gigabytes: refused
S: * 4294967295 EXISTS
E: error limit: test claims 4294967295 messages in INBOX (pons handles up to 10000000)
