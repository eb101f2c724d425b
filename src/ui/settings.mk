# SPDX-License-Identifier: ISC
# The settings screen: filled in as the code is written.
