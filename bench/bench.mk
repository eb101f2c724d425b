# SPDX-License-Identifier: ISC
# Benchmarks (make bench); never part of make check.
