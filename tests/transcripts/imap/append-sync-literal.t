# APPEND without LITERAL+: the message waits for the server's "+".
I: login
S: a1 OK [CAPABILITY IMAP4rev1 UIDPLUS] ok
E: logged-in
E: done 1 ok
A: append Sent \Seen From: a\r\n\r\nhi\r\n
C: a2 APPEND Sent (\Seen) {15}
S: + Ready for literal data
C: From: a
C: 
C: hi
C: 
S: a2 OK [APPENDUID 38505 3955] APPEND completed
E: done 2 ok [APPENDUID 38505 3955]
