# SPDX-License-Identifier: ISC
# app layer (UI side): folder model, pattern language, message views and
# the local Maildir backend.  Other fragments add the account glue.
libapp_a_SOURCES += src/app/app.c src/app/folder.c src/app/local.c \
	src/app/local.h src/app/msgview.c src/app/pattern.c
noinst_HEADERS += include/app/app.h include/app/events.h \
	include/app/folder.h include/app/msgview.h include/app/pattern.h

check_PROGRAMS += tests/unit/test-pattern
TESTS += tests/unit/test-pattern
tests_unit_test_pattern_SOURCES = tests/unit/test-pattern.c
tests_unit_test_pattern_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pattern_LDADD = libapp.a libmsg.a libutil.a $(LIBOBJS) \
	$(LTLIBICONV) $(TEST_LIBS)

# accounts in the interactive client (the "accounts" part)
libapp_a_SOURCES += src/app/account.c src/app/app-account.c src/app/app-imap.c \
	src/app/uidtab.c
noinst_HEADERS += include/app/account.h include/app/app-account.h \
	include/app/uidtab.h
check_PROGRAMS += tests/unit/test-uidtab
TESTS += tests/unit/test-uidtab
tests_unit_test_uidtab_SOURCES = tests/unit/test-uidtab.c
tests_unit_test_uidtab_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_uidtab_LDADD = libapp.a libutil.a $(LIBOBJS) $(TEST_LIBS)
TESTS += tests/tui/test-tui-imap.sh
EXTRA_DIST += tests/tui/test-tui-imap.sh
# a server without QRESYNC: one EXPUNGE per message
TESTS += tests/tui/test-tui-expunge.sh
EXTRA_DIST += tests/tui/test-tui-expunge.sh
# offline changes of a folder left behind reach the server
TESTS += tests/tui/test-tui-journal.sh
EXTRA_DIST += tests/tui/test-tui-journal.sh

# password_command as a child the loop watches
check_PROGRAMS += tests/unit/test-account
TESTS += tests/unit/test-account
tests_unit_test_account_SOURCES = tests/unit/test-account.c
tests_unit_test_account_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_account_LDADD = libapp.a libconfig.a libloop.a libutil.a \
	$(LIBOBJS) $(TEST_LIBS)
TESTS += tests/tui/test-tui-imap-open.sh
EXTRA_DIST += tests/tui/test-tui-imap-open.sh
# moving and copying messages (local Maildir++ and IMAP)
check_PROGRAMS += tests/unit/test-app-move
TESTS += tests/unit/test-app-move
tests_unit_test_app_move_SOURCES = tests/unit/test-app-move.c
tests_unit_test_app_move_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_app_move_LDADD = $(PONS_LIBS) $(PONS_SYSLIBS) \
	$(TEST_LIBS)
TESTS += tests/tui/test-tui-move.sh
EXTRA_DIST += tests/tui/test-tui-move.sh
TESTS += tests/integration/test-imap-move.sh
EXTRA_DIST += tests/integration/test-imap-move.sh
# the folder list (folder screen, account switching)
libapp_a_SOURCES += src/app/mailboxes.c src/app/app-folders.c
noinst_HEADERS += include/app/mailboxes.h
check_PROGRAMS += tests/unit/test-mailboxes
TESTS += tests/unit/test-mailboxes
tests_unit_test_mailboxes_SOURCES = tests/unit/test-mailboxes.c
tests_unit_test_mailboxes_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mailboxes_LDADD = libapp.a libutil.a $(LIBOBJS) $(TEST_LIBS)
check_PROGRAMS += tests/unit/test-app-folders
TESTS += tests/unit/test-app-folders
tests_unit_test_app_folders_SOURCES = tests/unit/test-app-folders.c
tests_unit_test_app_folders_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_app_folders_LDADD = $(PONS_LIBS) $(PONS_SYSLIBS) \
	$(TEST_LIBS)
