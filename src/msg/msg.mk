# SPDX-License-Identifier: ISC
# msg (lower half): header blocks, address lists, dates, encoded words,
# MIME parameters, transfer codecs, charsets.  Uses util only.
noinst_HEADERS += include/msg/codec.h include/msg/charset.h \
	include/msg/rfc5322.h include/msg/rfc2047.h include/msg/rfc2231.h \
	include/msg/addr.h include/msg/date.h
libmsg_a_SOURCES += src/msg/codec.c src/msg/charset.c src/msg/rfc2047.c \
	src/msg/rfc5322.c src/msg/rfc2231.c src/msg/addr.c src/msg/date.c
