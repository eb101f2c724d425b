# SPDX-License-Identifier: ISC
# ui layer: the ncursesw terminal UI.  Uses app, config, msg, loop, util;
# never net/imap/pop3/store.
noinst_LIBRARIES += libui.a
PONS_LIBS += libui.a
libui_a_SOURCES = src/ui/ui.c src/ui/ui-private.h src/ui/keymap.c \
	src/ui/lineedit.c src/ui/render.c src/ui/indexfmt.c \
	src/ui/screen-index.c src/ui/screen-pager.c src/ui/screen-help.c \
	src/ui/screen-attach.c src/ui/ui-conf.c src/ui/screen-folders.c
libui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
noinst_HEADERS += include/ui/ui.h include/ui/keymap.h include/ui/lineedit.h \
	include/ui/render.h include/ui/indexfmt.h

UI_TEST_CFLAGS = $(TEST_CFLAGS) $(NCURSES_CFLAGS)
check_PROGRAMS += tests/unit/test-keymap tests/unit/test-indexfmt
TESTS += tests/unit/test-keymap tests/unit/test-indexfmt
tests_unit_test_keymap_SOURCES = tests/unit/test-keymap.c
tests_unit_test_keymap_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_keymap_LDADD = libui.a libutil.a $(NCURSES_LIBS) $(TEST_LIBS)
tests_unit_test_indexfmt_SOURCES = tests/unit/test-indexfmt.c
tests_unit_test_indexfmt_CFLAGS = $(UI_TEST_CFLAGS)
tests_unit_test_indexfmt_LDADD = libui.a libapp.a libmsg.a libutil.a \
	$(NCURSES_LIBS) $(LTLIBICONV) $(TEST_LIBS)

TESTS += tests/tui/test-tui-local.sh tests/tui/test-tui-pop3.sh \
	tests/tui/test-tui-reload.sh
EXTRA_DIST += tests/tui/test-tui-local.sh tests/tui/test-tui-pop3.sh \
	tests/tui/test-tui-reload.sh tests/tui/tui-lib.sh

# Benchmark of the index over 1,000,000 rows (built by make check, run by
# hand: bench/bench-ui [ROWS]).
check_PROGRAMS += bench/bench-ui
bench_bench_ui_SOURCES = bench/bench-ui.c
bench_bench_ui_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) -I$(top_srcdir)/src/ui
bench_bench_ui_LDADD = $(PONS_LIBS) $(PONS_SYSLIBS)

# the folder screen against the test bed
TESTS += tests/tui/test-tui-folders.sh tests/tui/test-tui-folders-local.sh
EXTRA_DIST += tests/tui/test-tui-folders.sh \
	tests/tui/test-tui-folders-local.sh
