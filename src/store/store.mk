# SPDX-License-Identifier: ISC
# store layer (Maildir and the POP3 spool).  Uses msg and util only.
libstore_a_SOURCES += src/store/maildir.c
noinst_HEADERS += include/store/maildir.h

check_PROGRAMS += tests/unit/test-maildir
TESTS += tests/unit/test-maildir
tests_unit_test_maildir_SOURCES = tests/unit/test-maildir.c
tests_unit_test_maildir_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_maildir_LDADD = libstore.a libutil.a $(TEST_LIBS)
