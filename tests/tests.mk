# SPDX-License-Identifier: ISC
# Test bed and cross-layer tests.  Unit tests live in each layer's fragment.

# The private Dovecot test bed (tests/server/testbed.sh), its certificates
# and the sample-mail generator.
EXTRA_DIST += tests/server/mkcerts.sh tests/server/testbed.sh \
	tests/server/testbed-run.sh tests/server/genmail.py \
	tests/integration/test-testbed.sh
TESTS += tests/integration/test-testbed.sh

# Faults of the IMAP link (app/imap-account.c through a test driver): a
# forwarder that goes silent without closing, in front of the test bed's
# Dovecot; a scripted fake server for what Dovecot cannot be made to do.
check_PROGRAMS += tests/integration/imap-driver
tests_integration_imap_driver_SOURCES = tests/integration/imap-driver.c
tests_integration_imap_driver_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS) \
	$(SQLITE_CFLAGS)
tests_integration_imap_driver_LDADD = $(PONS_LIBS) $(PONS_SYSLIBS)
TESTS += tests/integration/test-imap-deadlink.sh
EXTRA_DIST += tests/integration/test-imap-deadlink.sh \
	tests/integration/deadlink-forwarder.py
TESTS += tests/integration/test-imap-faults.sh
EXTRA_DIST += tests/integration/test-imap-faults.sh tests/fake/fake-imap.py \
	tests/integration/imap-driver.sh
TESTS += tests/integration/test-imap-journal.sh
EXTRA_DIST += tests/integration/test-imap-journal.sh
TESTS += tests/integration/test-imap-expunge.sh
EXTRA_DIST += tests/integration/test-imap-expunge.sh
TESTS += tests/integration/test-imap-notify.sh
EXTRA_DIST += tests/integration/test-imap-notify.sh
