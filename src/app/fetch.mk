# SPDX-License-Identifier: ISC
# pons fetch and the POP3 download glue (conn <-> session <-> spool).
libapp_a_SOURCES += src/app/cmd-fetch.c src/app/pop3-fetch.c
noinst_HEADERS += include/app/cmd-fetch.h include/app/pop3-fetch.h

# Integration: the test bed's Dovecot (skipped while there is none), and a
# scripted fake server for faults Dovecot cannot produce.
TESTS += tests/integration/test-pop3-fetch.sh \
	tests/integration/test-pop3-faults.sh \
	tests/integration/test-pop3-crash.sh
EXTRA_DIST += tests/integration/test-pop3-fetch.sh \
	tests/integration/test-pop3-faults.sh \
	tests/integration/test-pop3-crash.sh \
	tests/integration/pop3-common.sh tests/integration/pop3-check.py \
	tests/integration/fake-pop3.py
