# SPDX-License-Identifier: ISC
# config layer: the option table, the config file parser and writer.  util only.
noinst_LIBRARIES += libconfig.a
PONS_LIBS += libconfig.a
libconfig_a_SOURCES =
noinst_HEADERS += include/config/options.h include/config/conf.h \
	include/config/conf-parse.h
libconfig_a_SOURCES += src/config/options-table.c src/config/options.c \
	src/config/conf-parse.c src/config/conf-key.c src/config/conf-write.c \
	src/config/conf.c src/config/conf-change.c src/config/conf-save.c \
	src/config/conf-dump.c src/config/conf-private.h

check_PROGRAMS += tests/unit/test-config
TESTS += tests/unit/test-config
tests_unit_test_config_SOURCES = tests/unit/test-config.c
tests_unit_test_config_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_config_LDADD = libconfig.a libutil.a $(TEST_LIBS)
EXTRA_DIST += tests/data/conf

# doc/ponsrc.5 is generated from the table by gen-man, so it cannot drift;
# it is distributed, and rebuilt whenever the table changes.
noinst_PROGRAMS += src/config/gen-man
src_config_gen_man_SOURCES = src/config/gen-man.c
src_config_gen_man_LDADD = libconfig.a libutil.a
dist_man_MANS += doc/ponsrc.5 doc/pons.1
EXTRA_DIST += doc/ponsrc.5.in
CLEANFILES += doc/ponsrc.5
doc/ponsrc.5: $(srcdir)/doc/ponsrc.5.in src/config/gen-man$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) doc && \
	src/config/gen-man$(EXEEXT) $(srcdir)/doc/ponsrc.5.in >$@.tmp && \
	mv $@.tmp $@

check_PROGRAMS += tests/unit/test-config-man
TESTS += tests/unit/test-config-man tests/unit/test-config-dump.sh
tests_unit_test_config_man_SOURCES = tests/unit/test-config-man.c
tests_unit_test_config_man_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_config_man_LDADD = libconfig.a libutil.a $(TEST_LIBS)
EXTRA_DIST += tests/unit/test-config-dump.sh

# The config fuzz target; its seed corpus is replayed in every make check.
check_PROGRAMS += tests/fuzz/replay-conf-parse
TESTS += tests/fuzz/replay-conf-parse
tests_fuzz_replay_conf_parse_SOURCES = tests/fuzz/replay.c \
	tests/fuzz/fuzz-conf-parse.c
tests_fuzz_replay_conf_parse_CPPFLAGS = $(AM_CPPFLAGS) \
	-DREPLAY_CORPUS='"$(abs_top_srcdir)/tests/fuzz/corpus/conf-parse"'
tests_fuzz_replay_conf_parse_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_replay_conf_parse_LDADD = libconfig.a libutil.a
EXTRA_DIST += tests/fuzz/corpus/conf-parse
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-conf-parse
tests_fuzz_fuzz_conf_parse_SOURCES = tests/fuzz/fuzz-conf-parse.c
tests_fuzz_fuzz_conf_parse_LDFLAGS = -fsanitize=fuzzer $(FUZZ_CFLAGS)
tests_fuzz_fuzz_conf_parse_LDADD = libconfig.a libutil.a
endif
