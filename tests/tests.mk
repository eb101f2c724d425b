# SPDX-License-Identifier: ISC
# Test bed and cross-layer tests.  Unit tests live in each layer's fragment.
