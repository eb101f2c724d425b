# SPDX-License-Identifier: ISC
# msg (lower half): header blocks, address lists, dates, encoded words,
# MIME parameters, transfer codecs, charsets.  Uses util only.
noinst_HEADERS += include/msg/codec.h include/msg/charset.h \
	include/msg/rfc5322.h include/msg/rfc2047.h include/msg/rfc2231.h \
	include/msg/addr.h include/msg/date.h
libmsg_a_SOURCES += src/msg/codec.c src/msg/charset.c src/msg/rfc2047.c \
	src/msg/rfc5322.c src/msg/rfc2231.c src/msg/addr.c src/msg/date.c

MSG_TEST_LIBS = libmsg.a libutil.a $(LTLIBICONV) $(TEST_LIBS)
check_PROGRAMS += tests/unit/test-codec
TESTS += tests/unit/test-codec
tests_unit_test_codec_SOURCES = tests/unit/test-codec.c
tests_unit_test_codec_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_codec_LDADD = $(MSG_TEST_LIBS)
check_PROGRAMS += tests/unit/test-charset
TESTS += tests/unit/test-charset
tests_unit_test_charset_SOURCES = tests/unit/test-charset.c
tests_unit_test_charset_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_charset_LDADD = $(MSG_TEST_LIBS)
check_PROGRAMS += tests/unit/test-rfc2047
TESTS += tests/unit/test-rfc2047
tests_unit_test_rfc2047_SOURCES = tests/unit/test-rfc2047.c
tests_unit_test_rfc2047_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rfc2047_LDADD = $(MSG_TEST_LIBS)
check_PROGRAMS += tests/unit/test-addr
TESTS += tests/unit/test-addr
tests_unit_test_addr_SOURCES = tests/unit/test-addr.c
tests_unit_test_addr_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_addr_LDADD = $(MSG_TEST_LIBS)
check_PROGRAMS += tests/unit/test-date
TESTS += tests/unit/test-date
tests_unit_test_date_SOURCES = tests/unit/test-date.c
tests_unit_test_date_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_date_LDADD = $(MSG_TEST_LIBS)
check_PROGRAMS += tests/unit/test-rfc5322
TESTS += tests/unit/test-rfc5322
tests_unit_test_rfc5322_SOURCES = tests/unit/test-rfc5322.c
tests_unit_test_rfc5322_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rfc5322_LDADD = $(MSG_TEST_LIBS)

# Fuzz targets.  `make check` replays the seed corpora through them (the
# -replay programs); with ./configure CC=clang --enable-fuzzing the real
# libFuzzer binaries are built too.  `make fuzz` does that in build-fuzz/.
check_PROGRAMS += tests/fuzz/fuzz-rfc5322-replay tests/fuzz/fuzz-rfc2047-replay
TESTS += tests/fuzz/fuzz-rfc5322-replay tests/fuzz/fuzz-rfc2047-replay
tests_fuzz_fuzz_rfc5322_replay_SOURCES = tests/fuzz/fuzz-rfc5322.c \
	tests/fuzz/replay.c
tests_fuzz_fuzz_rfc5322_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/rfc5322"'
tests_fuzz_fuzz_rfc5322_replay_LDADD = libmsg.a libutil.a $(LTLIBICONV)
tests_fuzz_fuzz_rfc2047_replay_SOURCES = tests/fuzz/fuzz-rfc2047.c \
	tests/fuzz/replay.c
tests_fuzz_fuzz_rfc2047_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/rfc2047"'
tests_fuzz_fuzz_rfc2047_replay_LDADD = libmsg.a libutil.a $(LTLIBICONV)
EXTRA_DIST += tests/fuzz/corpus/rfc5322 tests/fuzz/corpus/rfc2047 \
	tests/fuzz/fuzz-rfc5322.dict tests/fuzz/fuzz-rfc2047.dict doc/deviations.md

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-rfc5322 tests/fuzz/fuzz-rfc2047
tests_fuzz_fuzz_rfc5322_SOURCES = tests/fuzz/fuzz-rfc5322.c
tests_fuzz_fuzz_rfc5322_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_rfc5322_LDADD = libmsg.a libutil.a $(LTLIBICONV)
tests_fuzz_fuzz_rfc2047_SOURCES = tests/fuzz/fuzz-rfc2047.c
tests_fuzz_fuzz_rfc2047_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_rfc2047_LDADD = libmsg.a libutil.a $(LTLIBICONV)
endif

# `make fuzz`: other fragments may add their own prerequisites to it.
fuzz: fuzz-msg
fuzz-msg:
	mkdir -p build-fuzz && cd build-fuzz && \
	{ test -f Makefile || $(abs_top_srcdir)/configure CC=clang \
	    --enable-fuzzing; } && \
	$(MAKE) tests/fuzz/fuzz-rfc5322 tests/fuzz/fuzz-rfc2047
.PHONY: fuzz fuzz-msg
