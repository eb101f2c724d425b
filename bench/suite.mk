# SPDX-License-Identifier: ISC
# The protocol benchmark suite against the peers (bench/run.sh); never part
# of make check.  BENCH_ARGS passes options, e.g. BENCH_ARGS="-n 1000 -r 3"
# (default: -n 1000 -n 10000 -n 100000 -r 5, under an hour on 2 CPUs).
EXTRA_DIST += bench/run.sh bench/imap.sh bench/pop3.sh bench/common.sh \
	bench/bed.sh bench/big.sh \
	bench/tuiclock.py \
	bench/report.py bench/plot.gp bench/muttrc.mutt bench/muttrc.neomutt \
	bench/README

.PHONY: bench-suite bench-all
bench-suite: pons$(EXEEXT) bench-clients bench/bench-ui$(EXEEXT)
	PONS_BUILDDIR=$(abs_builddir) sh $(srcdir)/bench/run.sh $(BENCH_ARGS)
bench-all: bench bench-suite
