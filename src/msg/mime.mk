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

libmsg_a_SOURCES += src/msg/mime.c
noinst_HEADERS += include/msg/mime.h
libmsg_a_SOURCES += src/msg/render.c
noinst_HEADERS += include/msg/render.h

check_PROGRAMS += tests/unit/test-mime
TESTS += tests/unit/test-mime
tests_unit_test_mime_SOURCES = tests/unit/test-mime.c
tests_unit_test_mime_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mime_LDADD = $(MSGHIGH_TEST_LDADD)

check_PROGRAMS += tests/unit/test-render
TESTS += tests/unit/test-render
tests_unit_test_render_SOURCES = tests/unit/test-render.c
tests_unit_test_render_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_render_LDADD = $(MSGHIGH_TEST_LDADD)

# pons show --json over ../shared/corpus, checked against Python's email.
TESTS += tests/msg/test-show-corpus.sh
EXTRA_DIST += tests/msg/test-show-corpus.sh tests/data/corpus-expect.tsv \
	tests/data/corpus-expect.py

# Fuzz targets (mime, sanitize): with the others of msg/ in msg.mk.
TESTS += tests/msg/test-show.sh
EXTRA_DIST += tests/msg/test-show.sh
