# A SELECT queued behind a FETCH goes as soon as that FETCH is answered,
# before the next response is handled, whether both came in one read or
# byte by byte.  Sent from inside the next response's handling instead
# (here a FETCH whose UID contradicts the map, which queues a new UID
# SEARCH), it cleared the map that response was still writing to: a crash
# found by fuzz-imap-session.  The FETCH then belongs to no known message
# of the new mailbox: said, and passed on as is.
P: first_chunk=2 chunk=3 ahead=2
I: login
S: a1 OK [CAPABILITY IMAP4rev1 UIDPLUS] ok
E: logged-in
E: done 1 ok
A: select INBOX qresync 1 0
C: a2 SELECT INBOX
S: * 3 EXISTS
S: * OK [UIDVALIDITY 1] x
S: a2 OK [READ-WRITE] ok
E: selected INBOX uidvalidity=1 exists=3 uidnext=0 highestmodseq=0 rw flags=()
E: done 2 ok [READ-WRITE]
C: a3 UID SEARCH ALL
S: * SEARCH 4 5 6
E: uids 4:6
S: a3 OK done
A: fetch-flags 1:6
C: a4 UID FETCH 1:6 (UID FLAGS)
A: select Other
S: a4 OK done\r\n* 2 FETCH (UID 9 FLAGS ())
C: a5 SELECT Other
E: done 3 ok
E: warn proto: test: FETCH for message 2 of 0 in Other
E: message uid=9 flags=()
