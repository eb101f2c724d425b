# SPDX-License-Identifier: ISC
# The minimal reference clients of the protocol benchmarks (make bench-clients).
EXTRA_PROGRAMS += bench/min-pop3 bench/min-imap
bench_min_pop3_SOURCES = bench/min-pop3.c bench/min-common.c bench/min-common.h
bench_min_pop3_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
bench_min_pop3_LDADD = $(OPENSSL_LIBS)
bench_min_imap_SOURCES = bench/min-imap.c bench/min-common.c bench/min-common.h
bench_min_imap_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
bench_min_imap_LDADD = $(OPENSSL_LIBS)
CLEANFILES += bench/min-pop3 bench/min-imap

.PHONY: bench-clients
bench-clients: bench/min-pop3$(EXEEXT) bench/min-imap$(EXEEXT)
