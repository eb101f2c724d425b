# SPDX-License-Identifier: ISC
# imap layer: pure response parser, command formatting, modified UTF-7 and
# the session state machine.  Uses msg and util only; no I/O.
noinst_LIBRARIES += libimap.a
PONS_LIBS += libimap.a
libimap_a_SOURCES = src/imap/imap-parse.c src/imap/imap-cmd.c \
	src/imap/imap-utf7.c src/imap/imap-session.c src/imap/imap-private.h \
	src/imap/imap-index.c
noinst_HEADERS += include/imap/imap-parse.h include/imap/imap-cmd.h \
	include/imap/imap-utf7.h include/imap/imap.h include/imap/imap-index.h
IMAP_TEST_LIBS = libimap.a libmsg.a libutil.a

check_PROGRAMS += tests/unit/test-imap-parse
TESTS += tests/unit/test-imap-parse
tests_unit_test_imap_parse_SOURCES = tests/unit/test-imap-parse.c
tests_unit_test_imap_parse_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_parse_LDADD = $(IMAP_TEST_LIBS) $(TEST_LIBS)

check_PROGRAMS += tests/unit/test-imap-index
TESTS += tests/unit/test-imap-index
tests_unit_test_imap_index_SOURCES = tests/unit/test-imap-index.c \
    tests/unit/corpus.c tests/unit/corpus.h
tests_unit_test_imap_index_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_index_LDADD = $(IMAP_TEST_LIBS) $(TEST_LIBS)

check_PROGRAMS += tests/unit/test-imap-cmd
TESTS += tests/unit/test-imap-cmd
tests_unit_test_imap_cmd_SOURCES = tests/unit/test-imap-cmd.c
tests_unit_test_imap_cmd_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_cmd_LDADD = $(IMAP_TEST_LIBS) $(TEST_LIBS)

# The fuzz target, and a replay of its seed corpus in every make check.
check_PROGRAMS += tests/fuzz/replay-imap-parse
TESTS += tests/fuzz/replay-imap-parse
tests_fuzz_replay_imap_parse_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-imap-parse.c
tests_fuzz_replay_imap_parse_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/imap-parse"'
tests_fuzz_replay_imap_parse_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_replay_imap_parse_LDADD = $(IMAP_TEST_LIBS)
EXTRA_DIST += tests/fuzz/corpus/imap-parse
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-imap-parse
tests_fuzz_fuzz_imap_parse_SOURCES = tests/fuzz/fuzz-imap-parse.c
tests_fuzz_fuzz_imap_parse_LDFLAGS = -fsanitize=fuzzer $(FUZZ_CFLAGS)
tests_fuzz_fuzz_imap_parse_LDADD = $(IMAP_TEST_LIBS)
endif

check_PROGRAMS += tests/unit/test-imap-transcript
TESTS += tests/unit/test-imap-transcript
tests_unit_test_imap_transcript_SOURCES = tests/unit/test-imap-transcript.c
tests_unit_test_imap_transcript_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_imap_transcript_LDADD = $(IMAP_TEST_LIBS) $(TEST_LIBS)
EXTRA_DIST += tests/transcripts/imap

check_PROGRAMS += tests/fuzz/replay-imap-session
TESTS += tests/fuzz/replay-imap-session
tests_fuzz_replay_imap_session_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-imap-session.c
tests_fuzz_replay_imap_session_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/imap-session"'
tests_fuzz_replay_imap_session_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_replay_imap_session_LDADD = $(IMAP_TEST_LIBS)
EXTRA_DIST += tests/fuzz/corpus/imap-session
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-imap-session
tests_fuzz_fuzz_imap_session_SOURCES = tests/fuzz/fuzz-imap-session.c
tests_fuzz_fuzz_imap_session_LDFLAGS = -fsanitize=fuzzer $(FUZZ_CFLAGS)
tests_fuzz_fuzz_imap_session_LDADD = $(IMAP_TEST_LIBS)
endif
