# SPDX-License-Identifier: ISC
# Benchmarks (make bench); never part of make check.
EXTRA_PROGRAMS = bench/bench-msg
bench_bench_msg_SOURCES = bench/bench-msg.c bench/bench-mime.c \
	bench/bench-msg.h
bench_bench_msg_LDADD = libmsg.a libutil.a $(LTLIBICONV) $(LIBS)
CLEANFILES += bench/bench-msg
EXTRA_PROGRAMS += bench/bench-cache
bench_bench_cache_LDADD = libstore.a libutil.a $(SQLITE_LIBS)
EXTRA_PROGRAMS += bench/bench-index
bench_bench_index_LDADD = libimap.a libmsg.a libutil.a $(LTLIBICONV) $(LIBS)
CLEANFILES += bench/bench-index
EXTRA_DIST += bench/index-capture.py

.PHONY: bench
bench: bench/bench-msg$(EXEEXT) bench/bench-ui$(EXEEXT)
	./bench/bench-msg$(EXEEXT)
	./bench/bench-ui$(EXEEXT) 1000000
