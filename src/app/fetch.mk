# SPDX-License-Identifier: ISC
# pons fetch and the POP3 download glue (conn <-> session <-> spool).
libapp_a_SOURCES += src/app/cmd-fetch.c src/app/pop3-fetch.c
noinst_HEADERS += include/app/cmd-fetch.h include/app/pop3-fetch.h
