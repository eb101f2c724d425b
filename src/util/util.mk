# SPDX-License-Identifier: ISC
# util: buffers, errors, allocation policy, the debug log.  libc only.
noinst_LIBRARIES += libutil.a
PONS_LIBS += libutil.a
libutil_a_SOURCES = src/util/buf.c src/util/err.c src/util/log.c \
	src/util/seed.c src/util/str.c src/util/thread.c \
	src/util/xmalloc.c \
	src/compat/compat.h
libutil_a_LIBADD = $(LIBOBJS)
noinst_HEADERS += include/util/buf.h include/util/err.h include/util/log.h \
	include/util/seed.h include/util/str.h include/util/thread.h \
	include/util/xmalloc.h

check_PROGRAMS += tests/unit/test-util
TESTS += tests/unit/test-util
tests_unit_test_util_SOURCES = tests/unit/test-util.c
tests_unit_test_util_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_util_LDADD = libutil.a $(TEST_LIBS)
