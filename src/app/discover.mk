# SPDX-License-Identifier: ISC
# filled in as the code is written.
