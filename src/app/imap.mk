# SPDX-License-Identifier: ISC
# app glue for IMAP accounts: session <-> conn <-> loop <-> cache, and the
# imap-sync batch command.
libapp_a_SOURCES += src/app/imap-account.c src/app/imap-sync.c
noinst_HEADERS += include/app/imap-account.h include/app/imap-sync.h

TESTS += tests/integration/test-imap.sh
EXTRA_DIST += tests/integration/test-imap.sh
TESTS += tests/integration/test-imap-cache.sh
EXTRA_DIST += tests/integration/test-imap-cache.sh
