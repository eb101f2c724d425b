# SPDX-License-Identifier: ISC
# pons show: the message engine as a batch command.
libapp_a_SOURCES += src/app/cmd-show.c
noinst_HEADERS += include/app/cmd-show.h
