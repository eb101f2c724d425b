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
tests_unit_test_rfc5322_SOURCES = tests/unit/test-rfc5322.c \
    tests/unit/corpus.c tests/unit/corpus.h
tests_unit_test_rfc5322_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rfc5322_LDADD = $(MSG_TEST_LIBS)

# Fuzz targets of the whole msg layer (rfc5322, rfc2047, mime, sanitize),
# each in the same shape: tests/fuzz/fuzz-NAME.c, a seed corpus in
# tests/fuzz/corpus/NAME/, a replay-NAME program that `make check` runs
# over that corpus, and with ./configure CC=clang --enable-fuzzing the
# libFuzzer binary fuzz-NAME.  `make fuzz` (below) builds them too.
MSG_FUZZ_NAMES = rfc5322 rfc2047 mime sanitize
MSG_FUZZ_LIBS = libmsg.a libutil.a $(LTLIBICONV)
MSG_FUZZ_REPLAY_LINK = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
MSG_FUZZ_FUZZER_LINK = -fsanitize=fuzzer $(FUZZ_CFLAGS)
check_PROGRAMS += tests/fuzz/replay-rfc5322 tests/fuzz/replay-rfc2047 \
	tests/fuzz/replay-mime tests/fuzz/replay-sanitize
TESTS += tests/fuzz/replay-rfc5322 tests/fuzz/replay-rfc2047 \
	tests/fuzz/replay-mime tests/fuzz/replay-sanitize
EXTRA_DIST += tests/fuzz/corpus/rfc5322 tests/fuzz/corpus/rfc2047 \
	tests/fuzz/corpus/mime tests/fuzz/corpus/sanitize \
	tests/fuzz/fuzz-rfc5322.dict tests/fuzz/fuzz-rfc2047.dict \
	doc/deviations.md

tests_fuzz_replay_rfc5322_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-rfc5322.c
tests_fuzz_replay_rfc5322_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/rfc5322"'
tests_fuzz_replay_rfc5322_LDFLAGS = $(MSG_FUZZ_REPLAY_LINK)
tests_fuzz_replay_rfc5322_LDADD = $(MSG_FUZZ_LIBS)

tests_fuzz_replay_rfc2047_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-rfc2047.c
tests_fuzz_replay_rfc2047_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/rfc2047"'
tests_fuzz_replay_rfc2047_LDFLAGS = $(MSG_FUZZ_REPLAY_LINK)
tests_fuzz_replay_rfc2047_LDADD = $(MSG_FUZZ_LIBS)

tests_fuzz_replay_mime_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-mime.c
tests_fuzz_replay_mime_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/mime"'
tests_fuzz_replay_mime_LDFLAGS = $(MSG_FUZZ_REPLAY_LINK)
tests_fuzz_replay_mime_LDADD = $(MSG_FUZZ_LIBS)

tests_fuzz_replay_sanitize_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-sanitize.c
tests_fuzz_replay_sanitize_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/sanitize"'
tests_fuzz_replay_sanitize_LDFLAGS = $(MSG_FUZZ_REPLAY_LINK)
tests_fuzz_replay_sanitize_LDADD = $(MSG_FUZZ_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-rfc5322 tests/fuzz/fuzz-rfc2047 \
	tests/fuzz/fuzz-mime tests/fuzz/fuzz-sanitize
tests_fuzz_fuzz_rfc5322_SOURCES = tests/fuzz/fuzz-rfc5322.c
tests_fuzz_fuzz_rfc5322_LDFLAGS = $(MSG_FUZZ_FUZZER_LINK)
tests_fuzz_fuzz_rfc5322_LDADD = $(MSG_FUZZ_LIBS)
tests_fuzz_fuzz_rfc2047_SOURCES = tests/fuzz/fuzz-rfc2047.c
tests_fuzz_fuzz_rfc2047_LDFLAGS = $(MSG_FUZZ_FUZZER_LINK)
tests_fuzz_fuzz_rfc2047_LDADD = $(MSG_FUZZ_LIBS)
tests_fuzz_fuzz_mime_SOURCES = tests/fuzz/fuzz-mime.c
tests_fuzz_fuzz_mime_LDFLAGS = $(MSG_FUZZ_FUZZER_LINK)
tests_fuzz_fuzz_mime_LDADD = $(MSG_FUZZ_LIBS)
tests_fuzz_fuzz_sanitize_SOURCES = tests/fuzz/fuzz-sanitize.c
tests_fuzz_fuzz_sanitize_LDFLAGS = $(MSG_FUZZ_FUZZER_LINK)
tests_fuzz_fuzz_sanitize_LDADD = $(MSG_FUZZ_LIBS)
endif

# `make fuzz`: builds tests/fuzz/fuzz-NAME.fuzzer (libFuzzer) for every
# name above with clang, compiling the msg and util sources afresh (works
# in any build directory, in-tree or not, sanitizer build or not).  Other
# fragments may add their own prerequisites to `fuzz`.
MSG_FUZZ_SRCS = $(filter %.c,$(libmsg_a_SOURCES) $(libutil_a_SOURCES)) \
	$(patsubst %.o,%.c,$(LIBOBJS))
MSG_FUZZ_CC = clang -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-omit-frame-pointer $(DEFS) -I. -I$(top_srcdir)/include \
	-I$(top_srcdir)/src/compat -DPONS_SRCDIR='"$(abs_top_srcdir)"' \
	-DPONS_BUILDDIR='"$(abs_top_builddir)"'
fuzz: fuzz-msg
fuzz-msg:
	$(MKDIR_P) tests/fuzz
	for t in $(MSG_FUZZ_NAMES); do \
		$(MSG_FUZZ_CC) -o tests/fuzz/fuzz-$$t.fuzzer \
		    $(top_srcdir)/tests/fuzz/fuzz-$$t.c \
		    $(addprefix $(top_srcdir)/,$(MSG_FUZZ_SRCS)) \
		    $(LTLIBICONV) || exit 1; \
	done
	@echo "run: mkdir work; tests/fuzz/fuzz-NAME.fuzzer work $(top_srcdir)/tests/fuzz/corpus/NAME (NAME: $(MSG_FUZZ_NAMES); rfc5322 and rfc2047 have -dict=$(top_srcdir)/tests/fuzz/fuzz-NAME.dict)"
.PHONY: fuzz fuzz-msg
