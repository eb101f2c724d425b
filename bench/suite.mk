# SPDX-License-Identifier: ISC
# The benchmark suite driver: filled in as it is written.
