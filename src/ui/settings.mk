# SPDX-License-Identifier: ISC
# The settings screen (included after ui.mk): its screen and its row model.
libui_a_SOURCES += src/ui/screen-settings.c src/ui/settings-rows.c \
	src/ui/settings.h

check_PROGRAMS += tests/unit/test-settings
TESTS += tests/unit/test-settings
tests_unit_test_settings_SOURCES = tests/unit/test-settings.c
tests_unit_test_settings_CFLAGS = $(UI_TEST_CFLAGS) -I$(top_srcdir)/src/ui
tests_unit_test_settings_LDADD = $(PONS_LIBS) $(PONS_SYSLIBS) $(TEST_LIBS)

TESTS += tests/tui/test-tui-settings.sh
EXTRA_DIST += tests/tui/test-tui-settings.sh tests/data/settings/config.in \
	tests/data/settings/config.expected
