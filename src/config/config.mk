# SPDX-License-Identifier: ISC
# config layer: the option table, the config file parser and writer.  util only.
noinst_LIBRARIES += libconfig.a
PONS_LIBS += libconfig.a
libconfig_a_SOURCES =
noinst_HEADERS += include/config/options.h include/config/conf.h \
	include/config/conf-parse.h
