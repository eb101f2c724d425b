# SPDX-License-Identifier: ISC
# loop: the one poll() loop (descriptors, timers, deferred calls, signals).
# Uses util only.
noinst_LIBRARIES += libloop.a
PONS_LIBS += libloop.a
libloop_a_SOURCES = src/loop/loop.c
noinst_HEADERS += include/loop/loop.h

check_PROGRAMS += tests/unit/test-loop
TESTS += tests/unit/test-loop
tests_unit_test_loop_SOURCES = tests/unit/test-loop.c
tests_unit_test_loop_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_loop_LDADD = libloop.a libutil.a $(TEST_LIBS)
