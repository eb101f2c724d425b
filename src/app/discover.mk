# SPDX-License-Identifier: ISC
# app/discover: finding an account's settings from its email address, and
# `pons discover`.
libapp_a_SOURCES += src/app/discover.c src/app/cmd-discover.c
noinst_HEADERS += include/app/discover.h include/app/cmd-discover.h
DISCOVER_TEST_LIBS = libapp.a libnet.a libconfig.a libimap.a libpop3.a \
	libmsg.a libloop.a libutil.a $(OPENSSL_LIBS) $(LTLIBICONV) \
	$(LIBS) $(TEST_LIBS)

check_PROGRAMS += tests/unit/test-discover
TESTS += tests/unit/test-discover
tests_unit_test_discover_SOURCES = tests/unit/test-discover.c
tests_unit_test_discover_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_discover_LDADD = $(DISCOVER_TEST_LIBS)

# Against the Dovecot test bed (tests/server/testbed.sh) and a python3 TLS
# listener that records what it receives.
TESTS += tests/integration/test-discover.sh
EXTRA_DIST += tests/integration/test-discover.sh \
	tests/integration/discover-listener.py
