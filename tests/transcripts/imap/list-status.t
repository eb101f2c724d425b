# LIST with SPECIAL-USE and LIST-STATUS; names decoded from modified UTF-7.
I: login
S: a1 OK [CAPABILITY IMAP4rev1 SPECIAL-USE LIST-STATUS] ok
E: logged-in
E: done 1 ok
A: list
C: a2 LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN UIDNEXT UIDVALIDITY))
S: * LIST (\HasNoChildren) "/" INBOX
E: mailbox "INBOX" delim=/ attrs=(\HasNoChildren)
S: * STATUS INBOX (MESSAGES 17 UNSEEN 16 UIDNEXT 18 UIDVALIDITY 1)
E: status "INBOX" messages=17 unseen=16 uidnext=18
S: * LIST (\HasNoChildren \Drafts) "/" "Entw&APw-rfe"
E: mailbox "Entwürfe" delim=/ attrs=(\HasNoChildren \Drafts)
S: * LIST (\Noselect) "/" "Bad&-&Jjo"
E: mailbox "Bad&-&Jjo" delim=/ attrs=(\Noselect)
S: * LIST () NIL "Sent"
E: mailbox "Sent" attrs=()
S: a2 OK done
E: done 2 ok
A: status Sent
C: a3 STATUS Sent (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)
S: * STATUS Sent (MESSAGES 2 UNSEEN 0 UIDNEXT 3 UIDVALIDITY 7)
E: status "Sent" messages=2 unseen=0 uidnext=3
S: a3 OK done
E: done 3 ok
