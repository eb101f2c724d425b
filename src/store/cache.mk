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

# A cached row as a damaged cache file holds it; the seed corpus is
# replayed in every make check, the libFuzzer target built with
# --enable-fuzzing (CC=clang).
check_PROGRAMS += tests/fuzz/replay-cache-row
TESTS += tests/fuzz/replay-cache-row
tests_fuzz_replay_cache_row_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-cache-row.c
tests_fuzz_replay_cache_row_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/cache-row"'
tests_fuzz_replay_cache_row_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_fuzz_replay_cache_row_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_replay_cache_row_LDADD = libstore.a libutil.a $(SQLITE_LIBS)
EXTRA_DIST += tests/fuzz/corpus/cache-row
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-cache-row
tests_fuzz_fuzz_cache_row_SOURCES = tests/fuzz/fuzz-cache-row.c
tests_fuzz_fuzz_cache_row_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_fuzz_fuzz_cache_row_LDFLAGS = -fsanitize=fuzzer $(FUZZ_CFLAGS)
tests_fuzz_fuzz_cache_row_LDADD = libstore.a libutil.a $(SQLITE_LIBS)
endif
