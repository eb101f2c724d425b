# SPDX-License-Identifier: ISC
# Test bed and cross-layer tests.  Unit tests live in each layer's fragment.

# The private Dovecot test bed (tests/server/testbed.sh) and its certificates.
EXTRA_DIST += tests/server/mkcerts.sh
