# No greeting at all.
A: config timeout=30000
A: start
T: +29s
T: +1s
E: error temp: test: no response within 30 s (greeting)
