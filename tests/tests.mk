# SPDX-License-Identifier: ISC
# Test bed and cross-layer tests.  Unit tests live in each layer's fragment.

# The private Dovecot test bed (tests/server/testbed.sh), its certificates
# and the sample-mail generator.
EXTRA_DIST += tests/server/mkcerts.sh tests/server/testbed.sh \
	tests/server/testbed-run.sh tests/server/genmail.py \
	tests/integration/test-testbed.sh
TESTS += tests/integration/test-testbed.sh
