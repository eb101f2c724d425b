# SPDX-License-Identifier: ISC
# net: non-blocking connect, TLS (OpenSSL 3), name resolution off the loop
# thread.  Uses loop, util and OpenSSL.
noinst_LIBRARIES += libnet.a
PONS_LIBS += libnet.a
libnet_a_SOURCES = src/net/conn.c src/net/resolve.c src/net/tls.c
libnet_a_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
noinst_HEADERS += include/net/conn.h include/net/resolve.h include/net/tls.h
NET_TEST_LIBS = libnet.a libloop.a libutil.a $(OPENSSL_LIBS) $(LIBS) $(TEST_LIBS)

check_PROGRAMS += tests/unit/test-net
TESTS += tests/unit/test-net
tests_unit_test_net_SOURCES = tests/unit/test-net.c
tests_unit_test_net_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_net_LDADD = $(NET_TEST_LIBS)

# Against `openssl s_server` and a python3 STARTTLS server on loopback,
# with the certificates of tests/server/mkcerts.sh.
check_PROGRAMS += tests/unit/test-net-tls
TESTS += tests/unit/test-net-tls
tests_unit_test_net_tls_SOURCES = tests/unit/test-net-tls.c
tests_unit_test_net_tls_CFLAGS = $(TEST_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_net_tls_LDADD = $(NET_TEST_LIBS)
EXTRA_DIST += tests/integration/starttls-server.py

# tls-probe: conn as a session uses it, against the Dovecot test bed.
check_PROGRAMS += tests/integration/tls-probe
tests_integration_tls_probe_SOURCES = tests/integration/tls-probe.c
tests_integration_tls_probe_LDADD = libnet.a libloop.a libutil.a \
	$(OPENSSL_LIBS) $(LIBS)
TESTS += tests/integration/test-tls-dovecot.sh
EXTRA_DIST += tests/integration/test-tls-dovecot.sh
