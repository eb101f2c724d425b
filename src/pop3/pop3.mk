# SPDX-License-Identifier: ISC
# pop3 layer: pure response parser and I/O-free session.  Uses msg, util.
noinst_LIBRARIES += libpop3.a
PONS_LIBS += libpop3.a
libpop3_a_SOURCES = src/pop3/pop3-parse.c src/pop3/pop3-session.c \
	src/pop3/pop3-md5.c
noinst_HEADERS += include/pop3/pop3-parse.h include/pop3/pop3.h

check_PROGRAMS += tests/unit/test-pop3-parse
TESTS += tests/unit/test-pop3-parse
tests_unit_test_pop3_parse_SOURCES = tests/unit/test-pop3-parse.c
tests_unit_test_pop3_parse_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pop3_parse_LDADD = libpop3.a libutil.a $(TEST_LIBS)

check_PROGRAMS += tests/unit/test-pop3-transcript
TESTS += tests/unit/test-pop3-transcript
tests_unit_test_pop3_transcript_SOURCES = tests/unit/test-pop3-transcript.c
tests_unit_test_pop3_transcript_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pop3_transcript_LDADD = libpop3.a libutil.a $(TEST_LIBS)
EXTRA_DIST += tests/transcripts/pop3

# The fuzz corpus is replayed in every `make check`; the libFuzzer target
# itself is built with --enable-fuzzing (CC=clang).
check_PROGRAMS += tests/fuzz/fuzz-pop3-parse-replay
TESTS += tests/fuzz/fuzz-pop3-parse-replay
tests_fuzz_fuzz_pop3_parse_replay_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-pop3-parse.c
tests_fuzz_fuzz_pop3_parse_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/pop3-parse"'
tests_fuzz_fuzz_pop3_parse_replay_LDADD = libpop3.a libutil.a
EXTRA_DIST += tests/fuzz/corpus/pop3-parse
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-pop3-parse
tests_fuzz_fuzz_pop3_parse_SOURCES = tests/fuzz/fuzz-pop3-parse.c
tests_fuzz_fuzz_pop3_parse_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_pop3_parse_LDADD = libpop3.a libutil.a
endif
