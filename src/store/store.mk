# SPDX-License-Identifier: ISC
# store layer (Maildir and the POP3 spool).  Uses msg and util only.
libstore_a_SOURCES += src/store/maildir.c src/store/spool.c
noinst_HEADERS += include/store/maildir.h include/store/spool.h

check_PROGRAMS += tests/unit/test-maildir
TESTS += tests/unit/test-maildir
tests_unit_test_maildir_SOURCES = tests/unit/test-maildir.c
tests_unit_test_maildir_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_maildir_LDADD = libstore.a libutil.a $(TEST_LIBS)

check_PROGRAMS += tests/unit/test-spool
TESTS += tests/unit/test-spool
tests_unit_test_spool_SOURCES = tests/unit/test-spool.c
tests_unit_test_spool_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_spool_LDADD = libstore.a libutil.a $(TEST_LIBS)
