# SPDX-License-Identifier: ISC
# The IMAP cache (SQLite, one file per account).  Uses util only.
libstore_a_SOURCES += src/store/cache.c
libstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
noinst_HEADERS += include/store/cache.h

check_PROGRAMS += tests/unit/test-cache
TESTS += tests/unit/test-cache
tests_unit_test_cache_SOURCES = tests/unit/test-cache.c
tests_unit_test_cache_CFLAGS = $(TEST_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_cache_LDADD = libstore.a libutil.a $(SQLITE_LIBS) $(TEST_LIBS)
