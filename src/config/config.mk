# SPDX-License-Identifier: ISC
# config layer: the option table, the config file parser and writer.  util only.
noinst_LIBRARIES += libconfig.a
PONS_LIBS += libconfig.a
libconfig_a_SOURCES =
noinst_HEADERS += include/config/options.h include/config/conf.h \
	include/config/conf-parse.h
libconfig_a_SOURCES += src/config/options-table.c src/config/options.c \
	src/config/conf-parse.c src/config/conf-key.c src/config/conf-write.c \
	src/config/conf.c src/config/conf-private.h
