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

# Fuzz targets, and a replay of their seed corpora in every make check.
check_PROGRAMS += tests/fuzz/replay-mime tests/fuzz/replay-sanitize
TESTS += tests/fuzz/replay-mime tests/fuzz/replay-sanitize
tests_fuzz_replay_mime_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-mime.c
tests_fuzz_replay_mime_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/mime"'
tests_fuzz_replay_mime_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_replay_mime_LDADD = libmsg.a libutil.a $(LTLIBICONV)
tests_fuzz_replay_sanitize_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-sanitize.c
tests_fuzz_replay_sanitize_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/sanitize"'
tests_fuzz_replay_sanitize_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_replay_sanitize_LDADD = libmsg.a libutil.a $(LTLIBICONV)
EXTRA_DIST += tests/fuzz/corpus/mime tests/fuzz/corpus/sanitize
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-mime tests/fuzz/fuzz-sanitize
tests_fuzz_fuzz_mime_SOURCES = tests/fuzz/fuzz-mime.c
tests_fuzz_fuzz_mime_LDFLAGS = -fsanitize=fuzzer $(FUZZ_CFLAGS)
tests_fuzz_fuzz_mime_LDADD = libmsg.a libutil.a $(LTLIBICONV)
tests_fuzz_fuzz_sanitize_SOURCES = tests/fuzz/fuzz-sanitize.c
tests_fuzz_fuzz_sanitize_LDFLAGS = -fsanitize=fuzzer $(FUZZ_CFLAGS)
tests_fuzz_fuzz_sanitize_LDADD = libmsg.a libutil.a $(LTLIBICONV)
endif
TESTS += tests/msg/test-show.sh
EXTRA_DIST += tests/msg/test-show.sh
