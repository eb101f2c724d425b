# SPDX-License-Identifier: ISC
# msg layer, upper half: sanitizer, MIME tree, format=flowed, html to text,
# threading, rendering for the pager.  Uses util only.
libmsg_a_SOURCES += src/msg/sanitize.c
noinst_HEADERS += include/msg/sanitize.h

MSGHIGH_TEST_LDADD = libmsg.a libutil.a $(LTLIBICONV) $(TEST_LIBS)

check_PROGRAMS += tests/unit/test-sanitize
TESTS += tests/unit/test-sanitize
tests_unit_test_sanitize_SOURCES = tests/unit/test-sanitize.c
tests_unit_test_sanitize_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_sanitize_LDADD = $(MSGHIGH_TEST_LDADD)

libmsg_a_SOURCES += src/msg/flowed.c
noinst_HEADERS += include/msg/flowed.h
check_PROGRAMS += tests/unit/test-flowed
TESTS += tests/unit/test-flowed
tests_unit_test_flowed_SOURCES = tests/unit/test-flowed.c
tests_unit_test_flowed_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_flowed_LDADD = $(MSGHIGH_TEST_LDADD)

libmsg_a_SOURCES += src/msg/html.c
noinst_HEADERS += include/msg/html.h
check_PROGRAMS += tests/unit/test-html
TESTS += tests/unit/test-html
tests_unit_test_html_SOURCES = tests/unit/test-html.c
tests_unit_test_html_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_html_LDADD = $(MSGHIGH_TEST_LDADD)

libmsg_a_SOURCES += src/msg/thread.c
noinst_HEADERS += include/msg/thread.h
check_PROGRAMS += tests/unit/test-thread
TESTS += tests/unit/test-thread
tests_unit_test_thread_SOURCES = tests/unit/test-thread.c
tests_unit_test_thread_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_thread_LDADD = $(MSGHIGH_TEST_LDADD)
