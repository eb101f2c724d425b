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
