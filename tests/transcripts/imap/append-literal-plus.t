# APPEND with LITERAL+: no wait.  Then a mailbox name in modified UTF-7.
I: login
S: a1 OK [CAPABILITY IMAP4rev1 LITERAL+] ok
E: logged-in
E: done 1 ok
A: append Entwürfe - x
C: a2 APPEND Entw&APw-rfe {1+}
C: x
S: a2 NO [TRYCREATE] no such mailbox
E: done 2 refused: APPEND failed: no such mailbox [TRYCREATE]
