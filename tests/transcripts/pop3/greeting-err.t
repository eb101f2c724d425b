# A -ERR greeting with [SYS/TEMP].
A: config
A: start
S: -ERR [SYS/TEMP] too many connections
E: error temp: test refused the connection: too many connections
